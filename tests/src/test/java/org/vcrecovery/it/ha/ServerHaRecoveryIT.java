package org.vcrecovery.it.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.drill.Rig;
import org.vcrecovery.it.Sandbox;

/**
 * A recovery across a Zabbix server HA takeover: the drill's warm scene (action, agent, listener,
 * vcr serve; {@link Rig}) on two HA nodes ({@code tests/env/ha/up}: vcr-node1 active on :20051,
 * vcr-node2 standby, failover delay 10 s). The active node is SIGKILLed (its whole process
 * group) at the two moments that matter, and the recovery must happen exactly once:
 * <ul>
 * <li>after vcr switched DNS: node1 may have died before it recorded the action's step as done,
 *     so node2's escalator may run it again; that run must change nothing (the problem is
 *     acknowledged by vcr, so {@code --pending} finds nothing, and the dedup record drops it);</li>
 * <li>before the action ran (node1's escalators are SIGSTOPped as the primary fails, so the
 *     escalation waits in the database): node2 takes over and runs it, and the service is
 *     recovered once, by node2.</li>
 * </ul>
 * Prints the takeover time and, for the second, failure to DNS on the standby.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerHaRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** After the takeover, how long node2's escalator gets to run a step node1 left (it wakes every second). */
    private static final Duration AFTER_TAKEOVER = Duration.ofSeconds(15);
    private Sandbox sandbox;
    private Path envDir;
    private Rig rig;

    @BeforeAll
    void setUp() throws Exception {
        sandbox = Sandbox.get();
        Path repo = Path.of(System.getProperty("vcr.repo", ".")).toAbsolutePath().normalize();
        envDir = repo.resolve("tests/env");
        rig = Rig.open(repo, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /** Each test starts on two fresh nodes with node1 active on the trapper port the listener sends to. */
    @BeforeEach
    void haUp() throws Exception {
        run(120, envDir.resolve("ha/up").toString());
        // Two new server processes: a listener started against them reports every VM's state afresh, so
        // arming waits for this test's servers, not for a value the previous test's nodes took down with them.
        rig.restartListener();
    }

    @AfterEach
    void haDown() throws Exception {
        run(120, envDir.resolve("ha/down").toString());
    }

    @AfterAll
    void tearDown() {
        if (rig != null) rig.close();
    }

    @Test
    void killingTheActiveNodeRightAfterTheSwitchRecoversOnce() throws Exception {
        rig.arm(1);
        Instant failed = rig.failPrimary();
        await("DNS answers the standby", Duration.ofSeconds(30), () -> rig.resolve().equals(List.of(rig.standbyAddress())));
        List<String> events = rig.problems();
        long node1 = nodeGroup(1);
        Instant killed = Instant.now();
        run(10, "kill", "-KILL", "--", "-" + node1);
        Instant takeover = awaitTakeover(killed);
        Thread.sleep(AFTER_TAKEOVER.toMillis());

        List<JsonNode> runs = auditSince(failed, events);
        System.out.printf("Zabbix %s HA, killed after the switch: takeover %d ms; vcr runs since the failure: %s%n",
                sandbox.value(Sandbox.ZABBIX_API_VERSION), Duration.between(killed, takeover).toMillis(), exits(runs));
        assertThat(switches(runs)).as("DNS switches in vcr's reports: " + exits(runs)).isEqualTo(1);
        assertThat(rig.resolve()).as("DNS stays on the standby").containsExactly(rig.standbyAddress());
        assertThat(rig.answers(rig.standbyAddress())).isTrue();
    }

    @Test
    void killingTheActiveNodeBeforeTheActionRanLetsTheNewNodeRecoverOnce() throws Exception {
        rig.arm(2);
        long node1 = nodeGroup(1);
        int frozen = signalProcesses(node1, "escalator", "STOP");
        assertThat(frozen).as("escalators of vcr-node1").isPositive();
        Instant failed = rig.failPrimary();
        await("Zabbix has the problem", Duration.ofSeconds(30), () -> !rig.problems().isEmpty());
        List<String> events = rig.problems();
        // An absence: watched for 1.5 s (the escalator would have run the action within ~1 s), failing at the first run seen.
        for (Instant end = Instant.now().plusMillis(1500); Instant.now().isBefore(end); Thread.sleep(100)) {
            assertThat(auditSince(failed, events)).as("no vcr run yet: node1's escalators are stopped").isEmpty();
        }
        Instant killed = Instant.now();
        run(10, "kill", "-KILL", "--", "-" + node1);
        Instant takeover = awaitTakeover(killed);
        await("DNS answers the standby (node2 ran the action)", Duration.ofSeconds(60),
                () -> rig.resolve().equals(List.of(rig.standbyAddress())));
        Instant recovered = Instant.now();
        Thread.sleep(AFTER_TAKEOVER.toMillis());

        List<JsonNode> runs = auditSince(failed, events);
        System.out.printf("Zabbix %s HA, killed before the action: takeover %d ms; failure -> DNS on the standby %d ms; vcr runs: %s%n",
                sandbox.value(Sandbox.ZABBIX_API_VERSION), Duration.between(killed, takeover).toMillis(),
                Duration.between(failed, recovered).toMillis(), exits(runs));
        assertThat(switches(runs)).as("DNS switches in vcr's reports: " + exits(runs)).isEqualTo(1);
        assertThat(rig.answers(rig.standbyAddress())).isTrue();
    }

    /** The pid (= process group) of HA node {@code n}, as tests/env/ha/up recorded it. */
    private long nodeGroup(int n) throws Exception {
        return Long.parseLong(Files.readString(Path.of(sandbox.value("STATE_DIR"), "run", "zabbix-ha" + n + ".pid")).trim());
    }

    /** Sends SIG{@code sig} to the processes of group {@code pgid} whose title contains {@code title}; how many. */
    private static int signalProcesses(long pgid, String title, String sig) throws Exception {
        Process ps = new ProcessBuilder("ps", "-o", "pid=,args=", "-g", Long.toString(pgid)).start();
        int n = 0;
        for (String line : new String(ps.getInputStream().readAllBytes()).split("\n")) {
            if (!line.contains(title)) continue;
            run(10, "kill", "-" + sig, line.trim().split("\\s+")[0]);
            n++;
        }
        return n;
    }

    private Instant awaitTakeover(Instant killed) throws Exception {
        InetSocketAddress node2 = new InetSocketAddress("127.0.0.1", sandbox.address(Sandbox.ZABBIX_TRAPPER).getPort() + 1);
        await("vcr-node2 took over", Duration.ofSeconds(60), () -> listening(node2));
        return Instant.now();
    }

    /**
     * vcr's reports of runs of the drill's runbook for this test's {@code events} that started at or
     * after {@code since}: an older problem's escalation, left in the database by an earlier run and
     * picked up by a node as it becomes active, is not this test's recovery.
     */
    private List<JsonNode> auditSince(Instant since, List<String> events) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(rig.auditLog())) return out;
        for (String line : Files.readAllLines(rig.auditLog())) {
            if (line.isBlank()) continue;
            JsonNode j = JSON.readTree(line);
            String started = j.path("started").asText("");
            if (!j.path("runbook").asText().equals(rig.runbook().toString())) continue;
            if (!events.contains(j.path("event_id").asText())) continue;
            if (!started.isEmpty() && !Instant.parse(started).isBefore(since.minusSeconds(1))) out.add(j);
        }
        return out;
    }

    private static long switches(List<JsonNode> runs) {
        long n = 0;
        for (JsonNode r : runs) {
            for (JsonNode s : r.path("steps")) {
                if (s.path("name").asText().equals("dns") && s.path("outcome").asText().equals("ok") && s.path("detail").asText().startsWith("switched ")) n++;
            }
        }
        return n;
    }

    private static List<String> exits(List<JsonNode> runs) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : runs) out.add(r.path("exit_code").asText("?") + " " + r.path("headline").asText(""));
        return out;
    }

    private static void await(String what, Duration max, BooleanSupplier done) throws InterruptedException {
        for (Instant end = Instant.now().plus(max); Instant.now().isBefore(end); Thread.sleep(100)) {
            if (done.getAsBoolean()) return;
        }
        throw new AssertionError(what + ": not within " + max.toSeconds() + " s");
    }

    private static boolean listening(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void run(long seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), new String(out)).isZero();
    }
}
