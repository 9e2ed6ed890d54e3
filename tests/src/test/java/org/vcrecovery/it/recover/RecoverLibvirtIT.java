package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.DomainInfo.DomainState;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * {@code vcr recover} with libvirt: the primary (a test-driver domain on the sandbox's libvirtd)
 * is fenced by destroying it, a stopped spare VM whose service never answers is started, fails
 * its check and is stopped again, then a suspended backup VM is resumed and passes; DNS is
 * switched in the real BIND and the real Zabbix event is acknowledged with every step.
 */
class RecoverLibvirtIT {
    private RecoverFixture f;
    private Connect libvirt;
    private String uri;
    private String primary;
    private String spare;
    private String backup;

    @BeforeEach
    void setUp() throws Exception {
        f = new RecoverFixture("rlv");
        uri = f.sandbox.value(Sandbox.LIBVIRT_URI);
        libvirt = new Connect(uri);
        primary = f.testDomain(libvirt, "rlv-primary-" + f.suffix, true);
        spare = f.testDomain(libvirt, "rlv-spare-" + f.suffix, false);
        backup = f.testDomain(libvirt, "rlv-backup-" + f.suffix, true);
        libvirt.domainLookupByName(backup).suspend();
        f.dnsSet(f.address(1));
        f.serveHttp(f.address(3)); // the backup VM's service (the test driver runs nothing inside)
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
        libvirt.close();
    }

    private void runbook(boolean withBackup) throws Exception {
        RecoverFixture.RunbookYaml y = f.runbookYaml().primaryVm(uri, primary)
                .standby(RecoverFixture.Standby.libvirt("spare", "vm", uri, spare, f.address(2)));
        if (withBackup) y.standby(RecoverFixture.Standby.libvirt("backup", "suspended-vm", uri, backup, f.address(3)));
        y.checkTimeout("300ms").then("fencing:\n  mode: destroy\nlimits:\n  check-timeout: 1500ms\n").write();
    }

    private DomainState state(String name) throws Exception {
        return libvirt.domainLookupByName(name).getInfo().state;
    }

    @Test
    void thePrimaryIsDestroyedTheSpareSkippedAndStoppedTheBackupResumedDnsSwitchedAndTheEventAcknowledged() throws Exception {
        f.createZabbixHost();
        String event = f.raiseProblem();
        runbook(true);
        f.config();

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--vm", "{EVENT.TAGS.vm}");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).matches("rlv-" + f.suffix + ": recovered on backup \\(" + f.address(3).replace(".", "\\.")
                + "\\) in \\d+ ms: event \\d+ ms, maintenance \\d+ ms, dns-read \\d+ ms, breaker \\d+ ms, fence \\d+ ms, start \\d+ ms, check failed \\d+ ms,"
                + " stop \\d+ ms, resume \\d+ ms, check \\d+ ms, dns \\d+ ms, recheck \\d+ ms, ack \\d+ ms\\n");
        assertThat(libvirt.domainLookupByName(primary).isActive()).as("primary destroyed").isZero();
        assertThat(libvirt.domainLookupByName(spare).isActive()).as("spare stopped again").isZero();
        assertThat(state(backup)).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
        assertThat(f.dig()).containsExactly(f.address(3));

        Event e = f.zabbix().event(event).orElseThrow();
        assertThat(e.acknowledged()).isTrue();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).singleElement().asString()
                .startsWith("vcr: rlv-" + f.suffix + " recovered on backup (" + f.address(3) + ")")
                .contains("\nfence ok ", "destroyed domain " + primary, "\nstart ok ", "started spare",
                        "\ncheck failed ", "\nstop ok ", "\nresume ok ", "resumed backup", "\ncheck ok ",
                        "\ndns ok ", "switched " + f.record + " A " + f.address(1) + " -> " + f.address(3) + ", verified");
        assertThat(f.audit()).singleElement().asString().contains("\"event_id\":\"" + event + "\"", "\"result\":\"OK\"");
    }

    @Test
    void aStandbyWhosePortNeverAnswersIsStoppedAgainAndDnsStaysPut() throws Exception {
        runbook(false);
        f.config(null, "");

        VcrRun r = f.recover("--runbook", "rlv-" + f.suffix, "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
        assertThat(r.out()).contains("\"result\":\"SERVICE_DOWN\"", "no standby passed its checks", "\"name\":\"stop\"",
                "stopped spare again");
        assertThat(libvirt.domainLookupByName(spare).isActive()).isZero();
        assertThat(f.dig()).containsExactly(f.address(1));
        assertThat(f.audit()).singleElement().asString().contains("\"exit_code\":7");
        assertThat(List.of(r.out().split("\n"))).hasSize(1);
    }
}
