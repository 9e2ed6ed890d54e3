package org.vcrecovery.it.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.vcr.Vcr;

/** {@code vcr dns} run in-process (and once as its own JVM) against the sandbox's BIND. */
class DnsCommandIT {
    private String zone;
    private String server;
    private String key;
    private String wrongKey;
    private String label;
    private String fqdn;
    private BindProbe bind;

    @BeforeEach
    void setUp() {
        Sandbox s = Sandbox.get();
        zone = s.value(Sandbox.DNS_ZONE);
        server = s.value(Sandbox.DNS_SERVER);
        key = s.value(Sandbox.DNS_TSIG_FILE);
        wrongKey = s.value(Sandbox.DNS_TSIG_WRONG_FILE);
        label = BindProbe.uniqueLabel("cmd");
        fqdn = label + "." + zone + ".";
        bind = new BindProbe(s.address(Sandbox.DNS_SERVER));
    }

    @Test
    void setAppliesVerifiesAndPrintsOneLine() throws Exception {
        VcrRun r = set("--value", "127.0.10.2", "--ttl", "30", "--tsig-file", key);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("\\Q" + fqdn + " A 127.0.10.2 (ttl 30): applied and verified in \\E\\d+ ms\n");
        assertThat(bind.a(fqdn)).containsExactly("127.0.10.2");
    }

    @Test
    void jsonReportsTheOutcomeAndEachStepsTime() throws Exception {
        VcrRun r = set("--value", "127.0.10.2", "--tsig-file", key, "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(1);
        assertThat(r.out()).startsWith("{\"outcome\":\"APPLIED\",\"verified\":true,\"exitCode\":0,")
                .containsPattern("\"ms\":\\{\"send\":\\d+,\"verify\":\\d+,\"total\":\\d+}");
    }

    @Test
    void compareAndSwapSucceedsThenConflictsWithExitSixAndNoChange() throws Exception {
        assertThat(set("--value", "127.0.10.2", "--tsig-file", key, "--expect-absent").exit()).isZero();
        assertThat(set("--value", "127.0.10.3", "--tsig-file", key, "--expect", "127.0.10.2").exit()).isZero();
        VcrRun conflict = set("--value", "127.0.10.4", "--tsig-file", key, "--expect", "127.0.10.2");
        assertThat(conflict.exit()).isEqualTo(6);
        assertThat(conflict.err()).startsWith("vcr: " + fqdn + " A 127.0.10.4 (ttl 60): CONFLICT: ")
                .contains("is 127.0.10.3, not 127.0.10.2 as expected");
        assertThat(conflict.err().lines()).hasSize(1);
        assertThat(bind.a(fqdn)).containsExactly("127.0.10.3");
    }

    @Test
    void aWrongKeyExitsThreeAndAnExplicitlyUnsignedUpdateExitsFiveWithTheRecordUnchanged() throws Exception {
        assertThat(set("--value", "127.0.10.2", "--tsig-file", key).exit()).isZero();
        VcrRun wrong = set("--value", "127.0.10.66", "--tsig-file", wrongKey, "--timeout-ms", "300", "--retries", "0");
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.err()).contains("UNVERIFIED", "NOTAUTH/BADSIG, unsigned");
        VcrRun none = set("--value", "127.0.10.66", "--unsigned");
        assertThat(none.exit()).isEqualTo(5);
        assertThat(none.err()).contains("REFUSED");
        VcrRun forgotten = set("--value", "127.0.10.66");
        assertThat(forgotten.exit()).isEqualTo(2);
        assertThat(bind.a(fqdn)).containsExactly("127.0.10.2");
    }

    @Test
    void badInputExitsTwoAndNothingIsSent() throws Exception {
        VcrRun outside = VcrRun.of("dns", "set", "--server", server, "--zone", zone, "--name", label + ".outside-zone.invalid.",
                "--value", "127.0.10.2", "--tsig-file", key);
        assertThat(outside.exit()).isEqualTo(2);
        assertThat(outside.err()).contains("is outside the zone");
        VcrRun badAddress = set("--value", "127.0.10.256", "--tsig-file", key);
        assertThat(badAddress.exit()).isEqualTo(2);
        assertThat(bind.a(fqdn)).isEmpty();
    }

    @Test
    void aServerThatIsDownExitsThree() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        VcrRun r = VcrRun.of("dns", "set", "--server", "127.0.0.1:" + port, "--zone", zone, "--name", label,
                "--value", "127.0.10.2", "--tsig-file", key, "--timeout-ms", "300", "--retries", "1");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).containsAnyOf("TIMEOUT", "UNREACHABLE");
    }

    @Test
    void getPrintsWhatTheServerHolds() {
        assertThat(set("--value", "127.0.10.2", "--value", "127.0.10.3", "--tsig-file", key).exit()).isZero();
        VcrRun r = VcrRun.of("dns", "get", "--server", server, "--zone", zone, "--name", label);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith(fqdn + " A ").contains("127.0.10.2", "127.0.10.3");
        VcrRun missing = VcrRun.of("dns", "get", "--server", server, "--zone", zone, "--name", label + "-missing");
        assertThat(missing.out()).isEqualTo(label + "-missing." + zone + ". A (none)\n");
    }

    @Test
    void asItsOwnProcessItLoadsNeitherJacksonNorLibvirt() throws Exception {
        // the child gets this JVM's class path: Jackson is on it, so its absence below means something
        assertThat(Class.forName("com.fasterxml.jackson.databind.ObjectMapper")).isNotNull();
        Path classLog = Files.createTempFile("vcr-dns-classes", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classLog,
                    "-cp", System.getProperty("java.class.path"),
                    Vcr.class.getName(), "dns", "set", "--server", server, "--zone", zone, "--name", label,
                    "--value", "127.0.10.2", "--tsig-file", key));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(out).startsWith(fqdn + " A 127.0.10.2 (ttl 60): applied and verified in ");
            String classes = Files.readString(classLog);
            assertThat(classes).contains("org.xbill.DNS.Update").doesNotContain("com.fasterxml.jackson", "org.libvirt");
        } finally {
            Files.deleteIfExists(classLog);
        }
    }

    private VcrRun set(String... extra) {
        List<String> a = new ArrayList<>(List.of("dns", "set", "--server", server, "--zone", zone, "--name", label));
        a.addAll(List.of(extra));
        return VcrRun.of(a.toArray(String[]::new));
    }
}
