package org.vcrecovery.vcr.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/** {@code vcr rebalance} as a whole, with real runbook files and config, and the ports faked: what it refuses and when --pending acts. */
class RebalanceRunTest {
    @TempDir
    Path dir;

    final int port = ThreadLocalRandom.current().nextInt(20000, 60000);
    final RebalanceFakes.Backend lxc = new RebalanceFakes.Backend();
    final RebalanceFakes.Zabbix zabbix = new RebalanceFakes.Zabbix();
    final Map<String, RebalanceFakes.Dns> records = new HashMap<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        lxc.factoryName = "lxc";
        Files.createDirectories(dir.resolve("runbooks"));
        Path token = Files.writeString(dir.resolve("token"), "t0ken");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("vcr.yaml"), "zabbix:\n  url: http://127.0.0.1:9/api_jsonrpc.php\n  token-file: " + token
                + "\nstate-dir: " + dir.resolve("state") + "\nrunbooks: " + dir.resolve("runbooks") + "\n");
        Files.writeString(dir.resolve("runbooks/web.yaml"), """
                service: web
                zabbix-host: web-vm
                primary:
                  address: 127.0.0.1
                standbys:
                  - name: web-1
                    kind: cold-container
                    backend: lxc
                    address: 127.0.51.1
                    zabbix-host: vm1
                  - name: web-2
                    kind: cold-container
                    backend: lxc
                    address: 127.0.51.2
                    zabbix-host: vm2
                checks:
                  - protocol: tcp
                    port: %d
                dns:
                  server: 127.0.0.1:53
                  tsig: none
                  zone: example.test
                  name: web
                  ttl: 1
                """.formatted(port));
        lxc.serve("web-1", "127.0.51.1", port, StandbyState.RUNNING);
        lxc.serve("web-2", "127.0.51.2", port, StandbyState.STOPPED);
        zabbix.cpu.putAll(Map.of("vm1", 92.0, "vm2", 8.0));
    }

    @AfterEach
    void close() throws Exception {
        lxc.closeAll();
    }

    int run(boolean pending, String from, String service) {
        RebalanceRun.Ports ports = new RebalanceRun.Ports(c -> zabbix,
                rb -> records.computeIfAbsent(rb.service(), s -> new RebalanceFakes.Dns(rb.dns(), "127.0.51.1")),
                StandbyBackends.of(List.of(lxc.factory())), new ServiceChecker(), d -> {});
        return RebalanceRun.execute(new RebalanceRequest(from, service, false, pending, false, 1, 50, Duration.ZERO,
                dir.resolve("vcr.yaml"), null, null, Map.of()), new PrintWriter(out, true), new PrintWriter(err, true), ports);
    }

    @Test
    void pendingMovesOnlyWhenZabbixHasTheProblemAndTheAverageIsReallyHigh() {
        // A forged spike that did not move the average over the threshold raises no problem: nothing moves.
        assertThat(run(true, "vm1", null)).isZero();
        assertThat(out.toString()).startsWith("no open CPU-high problem on vm1 in Zabbix");
        assertThat(lxc.calls).isEmpty();

        // A problem whose average is no longer reported (stale: the agent went quiet) moves nothing either.
        zabbix.problems.put("vm1", "4242");
        zabbix.cpu.remove("vm1");
        assertThat(run(true, "vm1", null)).isZero();
        assertThat(out.toString()).contains("not confirmed: vm1's CPU average (vcr.cpu.avg) has no recent value in Zabbix; nothing moved");
        assertThat(zabbix.acks).singleElement().asString().startsWith("4242: vcr rebalance: not confirmed");
        assertThat(lxc.calls).isEmpty();

        zabbix.cpu.put("vm1", 92.0);
        assertThat(run(true, "vm1", null)).isZero();
        assertThat(lxc.calls).containsExactly("start web-2", "stop web-1");
        assertThat(records.get("web").values).containsExactly("127.0.51.2");
        assertThat(zabbix.acks.get(zabbix.acks.size() - 1)).startsWith("4242: vcr: web moved from web-1 on vm1 to web-2 on vm2");
    }

    @Test
    void pendingWithoutFromLooksAtEveryRecoveryVmTheRunbooksName() {
        assertThat(run(true, null, null)).isZero();
        assertThat(out.toString()).isEqualTo("no open CPU-high problem in Zabbix (open, unacknowledged, not suppressed) on the 2"
                + " recovery VMs the runbooks name: nothing moved\n");
        zabbix.problems.put("vm1", "5");
        assertThat(run(true, null, null)).isZero();
        assertThat(lxc.calls).containsExactly("start web-2", "stop web-1");
    }

    @Test
    void thePlanWithoutAProblemShowsTheRecoveryVmsLoadsAndChangesNothing() {
        RebalanceRun.Ports ports = new RebalanceRun.Ports(c -> zabbix,
                rb -> records.computeIfAbsent(rb.service(), s -> new RebalanceFakes.Dns(rb.dns(), "127.0.51.1")),
                StandbyBackends.of(List.of(lxc.factory())), new ServiceChecker(), d -> {});
        int exit = RebalanceRun.execute(new RebalanceRequest(null, null, true, true, false, 1, 50, null,
                dir.resolve("vcr.yaml"), null, null, Map.of()), new PrintWriter(out, true), new PrintWriter(err, true), ports);
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Recovery VMs (vcr.cpu.avg from Zabbix):\n  vm1: cpu 92.0 %, serving web\n  vm2: cpu 8.0 %, serving nothing\n");
        assertThat(lxc.calls).isEmpty();
    }

    @Test
    void theKillSwitchHoldsAPendingRebalanceButNotOneByHand() throws Exception {
        zabbix.problems.put("vm1", "77");
        zabbix.autoMacro = "0";
        assertThat(run(true, "vm1", null)).isEqualTo(ExitCode.HELD.code());
        assertThat(out.toString()).startsWith("held: automatic recovery is switched off (Zabbix global macro {$VCR.AUTO} = 0)");
        assertThat(lxc.calls).isEmpty();

        assertThat(run(false, "vm1", null)).isZero();
        assertThat(lxc.calls).containsExactly("start web-2", "stop web-1");
    }

    @Test
    void badInputIsOneLineWithItsCodeAndChangesNothing() {
        assertThat(run(false, "vm9", null)).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).isEqualTo("vcr: unknown recovery VM 'vm9': no runbook has a standby with zabbix-host vm9"
                + " (they name vm1, vm2); nothing moved\n");
        assertThat(run(false, "vm2", null)).isEqualTo(ExitCode.NOT_ON_HOST.code());
        zabbix.cpu.put("vm2", 75.0);
        assertThat(run(false, "vm1", null)).isEqualTo(ExitCode.NO_TARGET.code());
        assertThat(err.toString()).contains("vcr: no other recovery VM with room for what runs on vm1: web (web-2 on vm2: cpu 75.0 %,"
                + " not below 50 %); nothing moved");
        assertThatThrownBy(() -> run(false, "vm1;reboot", null)).isInstanceOf(VcrException.class)
                .hasMessageContaining("--from: 'vm1;reboot' is not a valid name").hasMessageContaining("';', a shell metacharacter");
        assertThat(lxc.calls).isEmpty();
        assertThat(records.get("web").swaps).isEmpty();
    }
}
