package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.HistoryValue;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.ValueType;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * The recovery report: with {@code zabbix.trapper} in vcr.yaml and the standby's
 * {@code zabbix-host} in the runbook, each recover and failback run's summary line arrives in
 * the real Zabbix as a value of the trapper item {@code vcr.recovery.report} on that host
 * (what the standby VM template's "Recent recoveries" widget shows); a host without the item
 * leaves a note and does not change the exit code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryReportIT {
    private static final String KEY = "vcr.recovery.report";
    private RecoverFixture f;
    private String reportHost;
    private String itemId;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rrp");
        reportHost = "rrp-standby-" + f.suffix;
        String group = f.zabbix().hostGroupByName(f.sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        String hostId = f.zabbix().createHost(reportHost, List.of(group), List.of(HostInterface.agent(f.address(2), 10050)), List.of());
        f.onClose(() -> f.zabbix().deleteHosts(List.of(hostId)));
        f.serveHttp(f.address(2)); // the warm standby's service
        itemId = f.zabbix().createTrapperItem(hostId, "Last recovery report", KEY, ValueType.TEXT);
        // The server accepts values for a new item once its configuration cache has it.
        ZabbixSender sender = ZabbixSender.builder().server(f.sandbox.address(Sandbox.ZABBIX_TRAPPER))
                .readTimeout(Duration.ofSeconds(10)).build();
        await().atMost(RecoverFixture.DEADLINE).pollInterval(Duration.ofMillis(250)).until(() ->
                sender.send(List.of(new SenderValue(reportHost, KEY, "rrp primed"))).processed() == 1);
        Files.writeString(f.dir.resolve("vcr.yaml"), "zabbix:\n  url: " + f.sandbox.value(Sandbox.ZABBIX_API_URL)
                + "\n  token-file: " + f.sandbox.path(Sandbox.ZABBIX_TOKEN_FILE) + "\n  version: \"" + f.sandbox.value(Sandbox.ZABBIX_VERSION) + "\"\n  trapper: "
                + f.sandbox.value(Sandbox.ZABBIX_TRAPPER) + "\nstate-dir: " + f.state + "\nrunbooks: " + f.runbooks + "\n");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    private void runbook(String service, String primary, String host) throws Exception {
        f.runbookYaml().service(service).zabbixHost(service + "-vm").primary(primary)
                .standby(new RecoverFixture.Standby("warm", "warm-container", f.address(2)).zabbixHost(host)).checkTimeout("500ms")
                .then("limits:\n  check-timeout: 3s\n").write();
    }

    private List<String> reports() throws Exception {
        return f.zabbix().history(itemId, ValueType.TEXT, 10).stream().map(HistoryValue::value).toList();
    }

    @Test
    void recoverAndFailbackEachSendTheirSummaryLineToTheStandbysHost() throws Exception {
        String service = "rrp-" + f.suffix;
        String primary = f.address(11);
        runbook(service, primary, reportHost);
        f.dnsSet(primary);

        VcrRun rec = f.recover("--runbook", service);

        assertThat(rec.exit()).as(rec.out() + rec.err()).isZero();
        assertThat(rec.out()).contains(", report ").doesNotContain("report not sent");
        System.out.println("RecoveryReportIT: " + rec.out().trim());
        List<String> afterRecover = await().atMost(RecoverFixture.DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(this::reports, l -> l.stream().anyMatch(v -> v.startsWith(service + ": recovered on warm (")));
        // the line as it stood when sent (before the report step itself): same run, same steps
        assertThat(afterRecover).filteredOn(v -> v.startsWith(service)).singleElement().asString()
                .startsWith(service + ": recovered on warm (" + f.address(2) + ") in ")
                .contains(": maintenance ", ", fence ", ", check ", ", dns ").doesNotContain("report");

        try (AutoCloseable repaired = f.serveHttp(primary)) {
            VcrRun back = f.recover("--runbook", service, "--failback");
            assertThat(back.exit()).as(back.out() + back.err()).isZero();
            assertThat(back.out()).contains(", report ").doesNotContain("report not sent");
        }
        await().atMost(RecoverFixture.DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(this::reports, l -> l.stream().anyMatch(v -> v.startsWith(service + ": failed back to the primary (" + primary + ")")));
    }

    @Test
    void aHostWithoutTheItemIsANoteNotAFailure() throws Exception {
        String service = "rrp-n-" + f.suffix;
        String primary = f.address(12);
        runbook(service, primary, "rrp-nosuchhost-" + f.suffix);
        f.dnsSet(primary);

        VcrRun rec = f.recover("--runbook", service);

        assertThat(rec.exit()).as(rec.out() + rec.err()).isZero();
        assertThat(rec.out()).contains("report failed", "report not sent to Zabbix host rrp-nosuchhost-" + f.suffix);
        assertThat(f.dig()).containsExactly(f.address(2));
    }
}
