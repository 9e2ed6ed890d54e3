package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;

/**
 * {@code vcr recover --failback} end to end: after a real recovery onto an LXC standby (busybox
 * containers from tests/env/lxc-service, each serving HTTP on its own 127.x address), the
 * repaired primary (an HTTP server on its own address) gets the record back in the real BIND;
 * a warm standby stays running, a cold one is stopped; a primary that does not answer is
 * refused with exit 7 and DNS stays on the standby.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailbackLxcIT {
    private RecoverFixture f;
    private String lxcpath;
    private String warm;
    private String cold;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("fbk");
        lxcpath = f.sandbox.value(Sandbox.LXC_PATH);
        warm = "fbk-warm-" + f.suffix;
        cold = "fbk-cold-" + f.suffix;
        container("--start", warm, f.address(2));
        container(null, cold, f.address(3));
        f.config(null, "");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    private void container(String start, String name, String address) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(f.sandbox.value(Sandbox.LXC_SERVICE)));
        if (start != null) cmd.add(start);
        cmd.addAll(List.of(name, address, Integer.toString(f.port), "http"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        f.onClose(() -> {
            run("lxc-stop", "-P", lxcpath, "-n", name, "-k");
            run("lxc-destroy", "-P", lxcpath, "-n", name);
        });
    }

    private static void run(String... cmd) throws Exception {
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private String state(String name) throws Exception {
        Process p = new ProcessBuilder("lxc-info", "-P", lxcpath, "-n", name, "-sH").redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return s;
    }

    private void runbook(String service, String primary, String standby, String kind, String address) throws Exception {
        f.runbook(service, """
                service: %s
                zabbix-host: %s-vm
                primary:
                  address: %s
                standbys:
                  - name: %s
                    kind: %s
                    backend: lxc
                    options:
                      lxcpath: %s
                    address: %s
                checks:
                  - protocol: http
                    port: %d
                    timeout: 500ms
                %slimits:
                  start-timeout: 15s
                  check-timeout: 3s
                """.formatted(service, service, primary, standby, kind, lxcpath, address, f.port, f.dnsSection()));
    }

    @Test
    void afterAWarmRecoveryFailbackMovesDnsBackAndLeavesTheWarmStandbyRunning() throws Exception {
        String service = "fbk-w-" + f.suffix;
        String primary = f.address(11);
        runbook(service, primary, warm, "warm-container", f.address(2));
        f.dnsSet(primary);
        RecoverFixture.Run rec = f.recover("--runbook", service);
        assertThat(rec.exit()).as(rec.out() + rec.err()).isZero();
        assertThat(f.dig()).containsExactly(f.address(2));

        try (AutoCloseable repaired = f.serveHttp(primary)) {
            RecoverFixture.Run plan = f.recover("--runbook", service, "--failback", "--plan");
            assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
            assertThat(plan.out()).startsWith("PLAN ONLY").contains(warm + " (warm-container): left running");
            assertThat(f.dig()).as("--plan changes nothing").containsExactly(f.address(2));

            RecoverFixture.Run r = f.recover("--runbook", service, "--failback");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(service + ": failed back to the primary (" + primary + ") from standby " + warm
                    + "; warm standby " + warm + " left running in ");
            assertThat(f.dig()).containsExactly(primary);
            assertThat(state(warm)).isEqualTo("RUNNING");

            RecoverFixture.Run again = f.recover("--runbook", service, "--failback");
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).startsWith(service + ": already on the primary (" + primary + ")");
        }
        assertThat(f.audit()).anySatisfy(l -> assertThat(l).contains("\"service\":\"" + service + "\"", "failed back"));
    }

    @Test
    void aPrimaryWhoseServiceIsDownIsRefusedWithExit7AndDnsStaysOnTheStandby() throws Exception {
        String service = "fbk-d-" + f.suffix;
        String primary = f.address(12);
        runbook(service, primary, warm, "warm-container", f.address(2));
        f.dnsSet(f.address(2));

        RecoverFixture.Run r = f.recover("--runbook", service, "--failback", "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
        assertThat(r.out()).contains("\"result\":\"SERVICE_DOWN\"", "does not answer its checks", "DNS left on standby " + warm);
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(state(warm)).isEqualTo("RUNNING");
    }

    @Test
    void failbackFromAColdStandbyStopsIt() throws Exception {
        String service = "fbk-c-" + f.suffix;
        String primary = f.address(13);
        runbook(service, primary, cold, "cold-container", f.address(3));
        f.dnsSet(primary);
        RecoverFixture.Run rec = f.recover("--runbook", service);
        assertThat(rec.exit()).as(rec.out() + rec.err()).isZero();
        assertThat(state(cold)).isEqualTo("RUNNING");
        assertThat(f.dig()).containsExactly(f.address(3));

        try (AutoCloseable repaired = f.serveHttp(primary)) {
            RecoverFixture.Run r = f.recover("--runbook", service, "--failback");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(service + ": failed back to the primary (" + primary + ") from standby " + cold
                    + "; standby stopped in ").contains("stop ");
            assertThat(f.dig()).containsExactly(primary);
            assertThat(state(cold)).isEqualTo("STOPPED");
        }
    }
}
