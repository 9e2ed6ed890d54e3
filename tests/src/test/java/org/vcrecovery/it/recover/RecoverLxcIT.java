package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * Warm and cold LXC standbys (busybox containers on the host network, each serving HTTP on its
 * own 127.x address, made by tests/env/lxc-service): each recovered with DNS switched in the
 * real BIND and the real Zabbix event acknowledged with the steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoverLxcIT {
    private RecoverFixture f;
    private String warm;
    private String cold;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rlx");
        warm = "rlx-warm-" + f.suffix;
        cold = "rlx-cold-" + f.suffix;
        f.lxcContainer(true, warm, f.address(2));
        f.lxcContainer(false, cold, f.address(3));
        f.createZabbixHost();
        f.config();
    }

    @AfterAll
    void tearDown() throws Exception {
        f.close();
    }

    private void runbook(String service, String standby, String kind, String address) throws Exception {
        f.runbookYaml().service(service).zabbixHost(f.host)
                .standby(new RecoverFixture.Standby(standby, kind, address).lxcpath(f.lxcpath())).checkTimeout("500ms").then("""
                limits:
                  start-timeout: 15s
                  check-timeout: 10s
                """).write();
    }

    private void assertAcknowledged(String event, String service, String standby, String address, String... steps)
            throws Exception {
        Event e = f.zabbix().event(event).orElseThrow();
        assertThat(e.acknowledged()).isTrue();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).singleElement().asString()
                .startsWith("vcr: " + service + " recovered on " + standby + " (" + address + ")")
                .contains(steps);
    }

    @Test
    void aWarmContainerIsOnlyCheckedAndTheRecordSwitched() throws Exception {
        String service = "rlx-w-" + f.suffix;
        runbook(service, warm, "warm-container", f.address(2));
        f.dnsSet(f.address(1));
        String event = f.raiseProblem();

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--runbook", service);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(service + ": recovered on " + warm + " (" + f.address(2) + ") in ")
                .doesNotContain("start");
        assertThat(f.dig()).containsExactly(f.address(2));
        assertAcknowledged(event, service, warm, f.address(2), "\nfence ok ", "proven dead", "\ncheck ok ", "HTTP/1.",
                "\ndns ok ", "switched " + f.record + " A " + f.address(1) + " -> " + f.address(2));
    }

    @Test
    void aColdContainerIsStartedCheckedAndTheRecordSwitched() throws Exception {
        String service = "rlx-c-" + f.suffix;
        runbook(service, cold, "cold-container", f.address(3));
        f.dnsSet(f.address(1));
        String event = f.raiseProblem();
        assertThat(f.lxcState(cold)).isEqualTo("STOPPED");

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--runbook", service, "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"result\":\"OK\"", "\"standby\":\"" + cold + "\"", "\"name\":\"start\"",
                "started " + cold + " (lxc " + cold + ")");
        assertThat(f.lxcState(cold)).isEqualTo("RUNNING");
        assertThat(f.dig()).containsExactly(f.address(3));
        assertAcknowledged(event, service, cold, f.address(3), "\nstart ok ", "\ncheck ok ", "\ndns ok ");
        long startToVerified = millis(r.out(), "start") + millis(r.out(), "check");
        System.out.println("RecoverLxcIT: cold container start -> port verified in " + startToVerified + " ms");
        assertThat(startToVerified).as("cold start to verified port").isLessThan(5000);
    }

    private static long millis(String json, String step) {
        Matcher m = Pattern.compile("\\{\"name\":\"" + step + "\",\"outcome\":\"ok\",\"started\":\"[^\"]+\",\"millis\":(\\d+)").matcher(json);
        assertThat(m.find()).as(step + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
