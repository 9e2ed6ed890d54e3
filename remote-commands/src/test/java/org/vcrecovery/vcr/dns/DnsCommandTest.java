package org.vcrecovery.vcr.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrConsole;
import org.vcrecovery.vcr.VcrConsole.Run;
import org.vcrecovery.vcr.VcrException;

/** {@code vcr dns} without a DNS server: input checks, exit codes, dry run, server down. */
class DnsCommandTest {
    private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=";

    @TempDir
    Path dir;

    /**
     * {@code dns set} with defaults for server, zone, name and type unless {@code extra} gives
     * them, and {@code --unsigned} unless it names a key file.
     */
    static String[] set(String... extra) {
        List<String> a = new ArrayList<>(List.of("dns", "set"));
        String[][] defaults = {{"--server", "127.0.0.1:9"}, {"--zone", "example.test"}, {"--name", "www"}, {"--type", "A"}};
        for (String[] d : defaults) {
            if (List.of(extra).stream().noneMatch(e -> e.startsWith(d[0] + "="))) a.add(d[0] + "=" + d[1]);
        }
        a.addAll(List.of(extra));
        if (List.of(extra).stream().noneMatch(e -> e.startsWith("--tsig-file") || e.equals("--unsigned"))) a.add("--unsigned");
        return a.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "name outside the zone    | --name=www.other.test.  --value=127.0.0.1        | name: www.other.test. is outside the zone example.test.",
        "address does not parse   | --value=127.0.10.300                              | value: 127.0.10.300 is not an IPv4 address",
        "TTL out of range         | --value=127.0.0.1 --ttl=2147483648                | ttl: 2147483648 is outside 0..2147483647",
        "TTL negative             | --value=127.0.0.1 --ttl=-5                        | ttl: -5 is outside",
        "TTL not a number         | --value=127.0.0.1 --ttl=soon                      | --ttl",
        "unknown type             | --value=127.0.0.1 --type=MX                       | type: MX is not one of A, AAAA, CNAME",
        "expect and expect-absent | --value=127.0.0.1 --expect=127.0.0.2 --expect-absent | --expect and --expect-absent exclude each other",
        "expect value bad         | --value=127.0.0.1 --expect=nope                   | expect: nope is not an IPv4 address",
        "missing value            | --ttl=30                                          | --value",
        "port not a number        | --value=127.0.0.1 --server=127.0.0.1:dns          | server: 127.0.0.1:dns is not HOST[:PORT] (port dns is not a number)",
        "port out of range        | --value=127.0.0.1 --server=127.0.0.1:70000        | port 70000 is outside 1..65535",
        "missing key file         | --value=127.0.0.1 --tsig-file=/nonexistent/k.key  | tsig key file /nonexistent/k.key does not exist",
        "key and unsigned         | --value=127.0.0.1 --unsigned --tsig-file=/k.key   | --unsigned and --tsig-file exclude each other",
    })
    void badInputExitsTwoBeforeSendingAnything(String why, String extra, String message) {
        Run r = VcrConsole.run(set(extra.trim().split("\\s+")));
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUpdateWithoutAKeyNeedsUnsignedSaidExplicitly() {
        Run r = VcrConsole.run("dns", "set", "--server", "127.0.0.1:9", "--zone", "example.test", "--name", "www", "--value", "127.0.0.1");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).isEqualTo("vcr: no --tsig-file: updates are signed; give the key, or --unsigned to send it without one\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedWithTheFix() throws IOException {
        Path key = key("rw-r--r--");
        Run r = VcrConsole.run(set("--value=127.0.0.1", "--tsig-file=" + key));
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).startsWith("vcr: tsig key file " + key + " is readable by others")
                .contains("chmod 600 " + key).doesNotContain(SECRET);
    }

    @Test
    void dryRunPrintsTheUpdateWithoutTheSecretAndSendsNothing() throws IOException {
        Run r = VcrConsole.run(set("--value=127.0.10.2", "--ttl=30", "--expect=127.0.0.1", "--dry-run", "--tsig-file=" + key("rw-------")));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                # key hmac-sha256:vcr-key. (secret not shown)
                server 127.0.0.1 9
                zone example.test.
                prereq yxrrset www.example.test. A 127.0.0.1
                update delete www.example.test. CNAME
                update delete www.example.test. A
                update add www.example.test. 30 A 127.0.10.2
                send
                """);
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @Test
    void aServerThatIsDownExitsThree() throws IOException {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = VcrConsole.run("dns", "set", "--server", "127.0.0.1:" + port, "--zone", "example.test", "--name", "www",
                "--value", "127.0.10.2", "--timeout-ms", "200", "--retries", "0", "--unsigned");
        assertThat(r.exit()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(r.err()).startsWith("vcr: www.example.test. A 127.0.10.2 (ttl 60): ").containsAnyOf("UNREACHABLE", "TIMEOUT");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aServerThatIsDownWithJsonStillPrintsOneObject() throws IOException {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = VcrConsole.run("dns", "set", "--server", "127.0.0.1:" + port, "--zone", "example.test", "--name", "www",
                "--value", "127.0.10.2", "--timeout-ms", "200", "--retries", "0", "--json", "--unsigned");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).startsWith("{\"outcome\":\"").contains("\"exitCode\":3", "\"ms\":{\"send\":").endsWith("}\n");
        assertThat(r.out().lines()).hasSize(1);
    }

    @Test
    void getNeedsAServerOrAZone() {
        Run r = VcrConsole.run("dns", "get", "--name", "www.example.test");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give --server, or --zone");
    }

    @Test
    void dnsAloneShowsUsage() {
        Run r = VcrConsole.run("dns");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("set", "get");
    }

    @ParameterizedTest(name = "{0} exits {1}")
    @CsvSource({
        "APPLIED, 0", "CONFLICT, 6", "REFUSED, 5", "NOTAUTH, 4", "BADSIG, 4", "BADKEY, 4", "BADTIME, 4",
        "NOTZONE, 2", "SERVFAIL, 12", "FORMERR, 12", "TIMEOUT, 3", "UNREACHABLE, 3", "UNVERIFIED, 3",
    })
    void everyOutcomeHasItsExitCode(Outcome outcome, int code) {
        assertThat(DnsExit.of(outcome).code()).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1,        127.0.0.1, 53",
        "127.0.0.1:5353,   127.0.0.1, 5353",
        "ns1.example.test, ns1.example.test, 53",
        "[::1]:5353,       ::1,       5353",
        "[::1],            ::1,       53",
        "::1,              ::1,       53",
    })
    void serversAreHostAndOptionalPort(String text, String host, int port) {
        assertThat(DnsConnectionOptions.HostPort.parse(text)).isEqualTo(new DnsConnectionOptions.HostPort(host, port));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.0.0.1:", "127.0.0.1:0", ":53", "[::1", "[::1]x"})
    void malformedServersAreUsageErrors(String text) {
        assertThatThrownBy(() -> DnsConnectionOptions.HostPort.parse(text))
                .isInstanceOfSatisfying(VcrException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    private Path key(String mode) throws IOException {
        Path f = dir.resolve("k-" + mode + ".key");
        Files.writeString(f, "key \"vcr-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + SECRET + "\";\n};\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }
}
