package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * The failure is confirmed before anything is touched: the primary is a test-driver domain on the
 * sandbox's libvirtd whose service is an LXC container answering HTTP on the primary's address.
 * While the domain runs and the service answers, a (forged) event changes nothing: exit 14, the
 * domain still running, DNS on the primary, the standby untouched, and the event annotated
 * "primary is healthy". Once the domain is destroyed the same event is a confirmed failure and
 * recovers as before.
 */
class RecoverConfirmIT {
    private RecoverFixture f;
    private Connect libvirt;
    private String uri;
    private String primary;
    private String service;

    @BeforeEach
    void setUp() throws Exception {
        f = new RecoverFixture("rcf");
        uri = f.sandbox.value(Sandbox.LIBVIRT_URI);
        libvirt = new Connect(uri);
        primary = f.testDomain(libvirt, "rcf-primary-" + f.suffix, true);
        f.lxcContainer(true, "rcf-svc-" + f.suffix, f.address(1)); // the primary's service, answering
        f.lxcContainer(true, "rcf-warm-" + f.suffix, f.address(2));
        f.dnsSet(f.address(1));
        f.createZabbixHost();
        service = "rcf-" + f.suffix;
        f.runbookYaml().service(service).primaryVm(uri, primary)
                .standby(new RecoverFixture.Standby("warm", "warm-container", f.address(2)).lxcpath(f.lxcpath()))
                .checkTimeout("500ms").then("fencing:\n  mode: destroy\n").write();
        f.config();
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
        libvirt.close();
    }

    @Test
    void aRunningDomainWhoseServiceAnswersIsLeftAloneWithExit14AndTheEventSaysWhy() throws Exception {
        String event = f.raiseProblem();

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--vm", primary);

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(14);
        assertThat(r.out()).startsWith(service + ": primary is healthy: event not confirmed (domain " + primary
                + " is running and its service answers").contains("nothing touched");
        assertThat(libvirt.domainLookupByName(primary).isActive()).as("primary still running").isEqualTo(1);
        assertThat(f.dig()).containsExactly(f.address(1));
        Event e = f.zabbix().event(event).orElseThrow();
        assertThat(e.acknowledged()).as("left for a human").isFalse();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).singleElement().asString()
                .startsWith("vcr: " + service + " primary is healthy: event not confirmed")
                .contains("(exit 14 PRIMARY_HEALTHY)", "\nconfirm failed ")
                .doesNotContain("\nfence ", "\ncheck ", "\ndns ");
        assertThat(f.audit()).singleElement().asString().contains("\"exit_code\":14");
    }

    @Test
    void aDestroyedDomainIsAConfirmedFailureAndRecoversAsBefore() throws Exception {
        libvirt.domainLookupByName(primary).destroy();
        String event = f.raiseProblem();

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host, "--vm", primary);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(service + ": recovered on warm (" + f.address(2) + ")");
        assertThat(f.dig()).containsExactly(f.address(2));
        Event e = f.zabbix().event(event).orElseThrow();
        assertThat(e.acknowledged()).isTrue();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).singleElement().asString()
                .contains("\nconfirm ok ", "confirmed: domain " + primary + " is stopped",
                        "\nfence ok ", "already shut off", "\ndns ok ");
    }
}
