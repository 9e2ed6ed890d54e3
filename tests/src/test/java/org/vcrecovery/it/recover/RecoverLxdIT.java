package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * Warm and cold LXD standbys (instances of the sandbox's real LXD daemon, busybox httpd on their
 * own 127.x addresses, made by tests/env/lxd/service) recovered by {@code vcr recover}: the cold
 * one started through the lxd backend over the daemon's unix socket, each checked, DNS switched
 * in the real BIND and the real Zabbix event acknowledged with the steps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoverLxdIT {
    private RecoverFixture f;
    private String url;
    private String warm;
    private String cold;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rlxd");
        url = f.sandbox.value("LXD_URL");
        warm = "rlxd-warm-" + f.suffix;
        cold = "rlxd-cold-" + f.suffix;
        String service = f.sandbox.value("LXD_SERVICE");
        run(service, "--start", warm, f.address(2), Integer.toString(f.port));
        f.onClose(() -> run(service, "--delete", warm));
        run(service, cold, f.address(3), Integer.toString(f.port));
        f.onClose(() -> run(service, "--delete", cold));
        f.createZabbixHost();
        f.config();
    }

    @AfterAll
    void tearDown() throws Exception {
        f.close();
    }

    private StandbyState state(String instance) {
        try (StandbyBackend lxd = StandbyBackends.installed().create("lxd", Map.of("url", url))) {
            return lxd.status(instance);
        }
    }

    private void runbook(String service, String kind, String instance, String address) throws Exception {
        f.runbookYaml().service(service).zabbixHost(f.host).standby(RecoverFixture.Standby.lxd(instance, kind, url, address))
                .checkTimeout("500ms").then("limits:\n  start-timeout: 15s\n  check-timeout: 10s\n").write();
    }

    @Test
    void aWarmLxdInstanceIsOnlyCheckedAndTheRecordSwitched() throws Exception {
        String service = "rlxd-w-" + f.suffix;
        runbook(service, "warm-container", warm, f.address(2));
        f.dnsSet(f.address(1));
        String event = f.raiseProblem();

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--runbook", service);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(service + ": recovered on " + warm + " (" + f.address(2) + ") in ").doesNotContain("start");
        assertThat(state(warm)).isEqualTo(StandbyState.RUNNING);
        assertThat(f.dig()).containsExactly(f.address(2));
    }

    @Test
    void aColdLxdInstanceIsStartedCheckedAndTheRecordSwitched() throws Exception {
        String service = "rlxd-c-" + f.suffix;
        runbook(service, "cold-container", cold, f.address(3));
        f.dnsSet(f.address(1));
        String event = f.raiseProblem();
        assertThat(state(cold)).isEqualTo(StandbyState.STOPPED);

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--runbook", service, "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"result\":\"OK\"", "\"standby\":\"" + cold + "\"", "\"name\":\"start\"",
                "started " + cold + " (lxd " + cold + ")");
        assertThat(state(cold)).isEqualTo(StandbyState.RUNNING);
        assertThat(f.dig()).containsExactly(f.address(3));
        Event e = f.zabbix().event(event).orElseThrow();
        assertThat(e.acknowledged()).isTrue();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).singleElement().asString()
                .startsWith("vcr: " + service + " recovered on " + cold + " (" + f.address(3) + ")")
                .contains("\nstart ok ", "\ncheck ok ", "\ndns ok ");
        long startToVerified = millis(r.out(), "start") + millis(r.out(), "check");
        System.out.println("RecoverLxdIT: cold LXD instance start -> port verified in " + startToVerified + " ms");
        assertThat(startToVerified).as("cold start to verified port").isLessThan(5000);
    }

    private static long millis(String json, String step) {
        Matcher m = Pattern.compile("\\{\"name\":\"" + step + "\",\"outcome\":\"ok\",\"started\":\"[^\"]+\",\"millis\":(\\d+)").matcher(json);
        assertThat(m.find()).as(step + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }
}
