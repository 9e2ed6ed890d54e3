package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.zabbix.api.Acknowledgement;

/**
 * {@code vcr recover} handed by {@code bin/vcr} to a running {@code vcr serve} (both the
 * repository's launcher, as processes), against the real Zabbix and BIND: the caller gets what a
 * fresh process prints and its exit code; the server's log proves it ran there; two runs of one
 * service in the server still exclude each other; a server that is gone or does not know the
 * caller's token leaves the run to a fresh JVM, which recovers.
 */
class RecoverServedIT {
    private RecoverFixture f;
    private Process server;
    private Path addressFile;
    private Path serverLog;
    private String event;

    @BeforeEach
    void setUp() throws Exception {
        f = RecoverFixture.recordOnPrimary("rsv");
        f.serveHttp(f.address(2));
        f.createZabbixHost();
        event = f.raiseProblem();
        f.runbookYaml().standby(f.warm()).write();
        f.config();
        addressFile = f.dir.resolve("serve.addr");
        serverLog = f.dir.resolve("serve.err");
        server = VcrProcess.start(f, Map.of(), f.dir.resolve("serve.out"), serverLog,
                "serve", "--address-file", addressFile.toString());
        await().atMost(RecoverFixture.DEADLINE).until(() -> Files.exists(addressFile)
                && Files.readString(f.dir.resolve("serve.out")).contains("listening on 127.0.0.1:"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (server != null && server.isAlive()) {
                server.destroy();
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("vcr serve stops on SIGTERM").isTrue();
                assertThat(addressFile).as("and removes its address file").doesNotExist();
            }
        } finally {
            if (server != null) server.destroyForcibly();
            f.close();
        }
    }

    private VcrProcess.Result served(String... args) throws Exception {
        return VcrProcess.run(f, Map.of("VCR_SERVE_FILE", addressFile.toString()), args);
    }

    private String serverLog() throws Exception {
        return Files.readString(serverLog, StandardCharsets.UTF_8);
    }

    /** The key of the standby template's vcr serve item, as shipped in zabbix-templates/. */
    private static String serveItemKey() throws Exception {
        Path yaml = VcrProcess.launcher().getParent().getParent().resolve("zabbix-templates/vcrecovery_standby_vm.yaml");
        return Files.readAllLines(yaml).stream().map(String::trim).filter(l -> l.startsWith("key: 'proc.num["))
                .map(l -> l.substring("key: '".length(), l.length() - 1)).findFirst().orElseThrow();
    }

    /** One value from the sandbox's agent (its version's zabbix_get, as the server would ask it). */
    private String agentGet(String key) throws Exception {
        var agent = f.sandbox.address(org.vcrecovery.it.Sandbox.ZABBIX_AGENT);
        Process p = new ProcessBuilder(f.sandbox.value(org.vcrecovery.it.Sandbox.ZABBIX_GET), "-s", agent.getHostString(), "-p", Integer.toString(agent.getPort()), "-k", key)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private String[] actionLine() {
        return new String[] {"recover", "--event-id", event, "--trigger-host", f.host, "--vm", "{EVENT.TAGS.vm}"};
    }

    @Test
    void aZabbixActionsLineRunsInTheServerAndAnswersAsAFreshProcessWould() throws Exception {
        assertThat(Files.getPosixFilePermissions(addressFile)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        VcrProcess.Result r = served(actionLine());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).matches(f.service + ": recovered on warm \\(" + f.address(2).replace(".", "\\.")
                + "\\) in \\d+ ms: event \\d+ ms, maintenance \\d+ ms, dns-read \\d+ ms, breaker \\d+ ms, fence \\d+ ms, check \\d+ ms, dns \\d+ ms, recheck \\d+ ms, ack \\d+ ms\\n");
        assertThat(r.err()).isEmpty();
        assertThat(serverLog()).contains("vcr recover --event-id " + event + " --trigger-host " + f.host + " --vm {EVENT.TAGS.vm} -> exit 0 in ");
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.zabbix().event(event).orElseThrow().acknowledges()).extracting(Acknowledgement::message)
                .singleElement().asString().contains("\ndns ok ");
        assertThat(f.audit()).singleElement().asString().contains("\"result\":\"OK\"");

        // The standby template's item counts the server through the real agent (its trigger fires at 0).
        assertThat(Integer.parseInt(agentGet(serveItemKey()))).isGreaterThanOrEqualTo(1);

        // A refusal comes back as the fresh process prints it, code and message.
        String[] bad = {"recover", "--event-id", "1", "--trigger-host", "web;reboot"};
        VcrProcess.Result refused = served(bad);
        assertThat(refused).isEqualTo(VcrProcess.run(f, Map.of("VCR_SERVE", "off"), bad));
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(serverLog()).contains("--trigger-host web;reboot -> exit 2 in ");
    }

    @Test
    void aSlowStepsProgressReachesTheCallersStderr() throws Exception {
        // A standby whose port accepts and never greets: its check runs until its timeout, and vcr
        // reports each second of it on stderr. Served, those lines come back through bin/vcr too.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(f.port, 50, java.net.InetAddress.getByName(f.address(3)))) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            t.setDaemon(true);
            t.start();
            f.runbookYaml().standby(new RecoverFixture.Standby("silent", "warm-container", f.address(3))).checkTimeout("2500ms").write();

            VcrProcess.Result r = served(actionLine());

            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
            assertThat(r.err()).contains("vcr: " + f.service + ": check still running after 1 s");
            assertThat(serverLog()).contains("--event-id " + event + " ").contains("-> exit 7 in ");
            assertThat(f.dig()).containsExactly(f.address(1));
            for (java.net.Socket s : held) s.close();
        }
    }

    @Test
    void twoRunsOfOneServiceInTheServerStillExcludeEachOther() throws Exception {
        Path o1 = f.dir.resolve("o1"), e1 = f.dir.resolve("e1"), o2 = f.dir.resolve("o2"), e2 = f.dir.resolve("e2");
        Map<String, String> env = Map.of("VCR_SERVE_FILE", addressFile.toString());
        Process a = VcrProcess.start(f, env, o1, e1, actionLine());
        Process b = VcrProcess.start(f, env, o2, e2, actionLine());
        assertThat(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<Integer> codes = List.of(a.exitValue(), b.exitValue());
        assertThat(codes).as(Files.readString(o1) + Files.readString(e1) + Files.readString(o2) + Files.readString(e2))
                .containsOnlyOnce(0).anyMatch(c -> c == 9 || c == 10);
        assertThat(serverLog().lines().filter(l -> l.contains("--event-id " + event)).count()).isEqualTo(2);
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.audit()).filteredOn(l -> l.contains("\"result\":\"OK\"")).hasSize(1);
    }

    @Test
    void aCallerWithoutTheServersTokenRecoversInAFreshJvm() throws Exception {
        String[] line = Files.readString(addressFile).trim().split(" ");
        Path forged = f.dir.resolve("forged.addr");
        Files.writeString(forged, line[0] + " " + line[1] + " " + "0".repeat(line[2].length()) + "\n");

        VcrProcess.Result r = VcrProcess.run(f, Map.of("VCR_SERVE_FILE", forged.toString()), actionLine());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": recovered on warm");
        assertThat(serverLog()).contains("refused a request").contains(": denied").doesNotContain("-> exit")
                .doesNotContain(line[2]);
        assertThat(f.dig()).containsExactly(f.address(2));
    }

    @Test
    void aKilledServersStaleAddressFileLeavesTheRunToAFreshJvm() throws Exception {
        server.destroyForcibly();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(addressFile).as("SIGKILL leaves the address file behind").exists();

        VcrProcess.Result r = served(actionLine());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": recovered on warm");
        assertThat(r.err()).isEmpty();
        assertThat(f.dig()).containsExactly(f.address(2));
        Files.delete(addressFile);
    }
}
