package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.VcrRun;

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
    private String warm;
    private String cold;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("fbk");
        warm = "fbk-warm-" + f.suffix;
        cold = "fbk-cold-" + f.suffix;
        f.lxcContainer(true, warm, f.address(2));
        f.lxcContainer(false, cold, f.address(3));
        f.config(null, "");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    private void runbook(String service, String primary, String standby, String kind, String address) throws Exception {
        f.runbookYaml().service(service).zabbixHost(service + "-vm").primary(primary)
                .standby(new RecoverFixture.Standby(standby, kind, address).lxcpath(f.lxcpath())).checkTimeout("500ms").then("""
                limits:
                  start-timeout: 15s
                  check-timeout: 3s
                """).write();
    }

    @Test
    void afterAWarmRecoveryFailbackMovesDnsBackAndLeavesTheWarmStandbyRunning() throws Exception {
        String service = "fbk-w-" + f.suffix;
        String primary = f.address(11);
        runbook(service, primary, warm, "warm-container", f.address(2));
        f.dnsSet(primary);
        VcrRun rec = f.recover("--runbook", service);
        assertThat(rec.exit()).as(rec.out() + rec.err()).isZero();
        assertThat(f.dig()).containsExactly(f.address(2));

        try (AutoCloseable repaired = f.serveHttp(primary)) {
            VcrRun plan = f.recover("--runbook", service, "--failback", "--plan");
            assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
            assertThat(plan.out()).startsWith("PLAN ONLY").contains(warm + " (warm-container): left running");
            assertThat(f.dig()).as("--plan changes nothing").containsExactly(f.address(2));

            VcrRun r = f.recover("--runbook", service, "--failback");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(service + ": failed back to the primary (" + primary + ") from standby " + warm
                    + "; warm standby " + warm + " left running in ");
            assertThat(f.dig()).containsExactly(primary);
            assertThat(f.lxcState(warm)).isEqualTo("RUNNING");

            VcrRun again = f.recover("--runbook", service, "--failback");
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

        VcrRun r = f.recover("--runbook", service, "--failback", "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
        assertThat(r.out()).contains("\"result\":\"SERVICE_DOWN\"", "does not answer its checks", "DNS left on standby " + warm);
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.lxcState(warm)).isEqualTo("RUNNING");
    }

    @Test
    void failbackFromAColdStandbyStopsIt() throws Exception {
        String service = "fbk-c-" + f.suffix;
        String primary = f.address(13);
        runbook(service, primary, cold, "cold-container", f.address(3));
        f.dnsSet(primary);
        VcrRun rec = f.recover("--runbook", service);
        assertThat(rec.exit()).as(rec.out() + rec.err()).isZero();
        assertThat(f.lxcState(cold)).isEqualTo("RUNNING");
        assertThat(f.dig()).containsExactly(f.address(3));

        try (AutoCloseable repaired = f.serveHttp(primary)) {
            VcrRun r = f.recover("--runbook", service, "--failback");

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(service + ": failed back to the primary (" + primary + ") from standby " + cold
                    + "; standby stopped in ").contains("stop ");
            assertThat(f.dig()).containsExactly(primary);
            assertThat(f.lxcState(cold)).isEqualTo("STOPPED");
        }
    }
}
