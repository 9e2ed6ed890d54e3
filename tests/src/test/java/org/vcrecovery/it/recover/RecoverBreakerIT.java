package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * The circuit breaker against the real parts: three services, each a running test-driver domain
 * on the sandbox's libvirtd whose service is silent (as a partition makes it look from the
 * standby host), a warm LXC standby, a record in BIND and a real Zabbix problem. With
 * {@code breaker: {limit: 1}} their three recoveries, started at once, recover exactly one; the
 * two others are held (exit 15): their domains still run, their records are unchanged, their
 * events say "held: ...". After {@code vcr approve --service} one of them, its rerun recovers it
 * while the other is held again. With the Zabbix global macro {$VCR.AUTO} at 0 every automatic
 * run is held and says so, while a run by hand still recovers.
 */
class RecoverBreakerIT {
    private final List<RecoverFixture> fixtures = new ArrayList<>();
    private final List<String> services = new ArrayList<>();
    private final List<String> domains = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private Connect libvirt;
    private RecoverFixture main;

    @BeforeEach
    void setUp() throws Exception {
        for (int i = 0; i < 3; i++) fixtures.add(new RecoverFixture("rbk"));
        main = fixtures.get(0);
        String uri = main.sandbox.value(Sandbox.LIBVIRT_URI);
        libvirt = new Connect(uri);
        for (RecoverFixture f : fixtures) {
            String domain = f.testDomain(libvirt, "rbk-primary-" + f.suffix, true);
            String warm = "rbk-warm-" + f.suffix;
            f.lxcContainer(true, warm, f.address(2));
            f.dnsSet(f.address(1));
            f.createZabbixHost();
            main.runbook(f.service, f.runbookYaml().primaryVm(uri, domain)
                    .standby(new RecoverFixture.Standby(warm, "warm-container", f.address(2)).lxcpath(f.lxcpath()))
                    .checkTimeout("500ms").then("fencing:\n  mode: destroy\n").yaml());
            services.add(f.service);
            domains.add(domain);
        }
        main.config(main.sandbox.value(Sandbox.ZABBIX_API_URL), "breaker:\n  limit: 1\n  window: 60s\n");
        for (RecoverFixture f : fixtures) events.add(f.raiseProblem());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RecoverFixture f : fixtures) f.close();
        if (libvirt != null) libvirt.close();
    }

    private VcrRun recover(int i) {
        RecoverFixture f = fixtures.get(i);
        return main.recover("--event-id", events.get(i), "--trigger-host", f.host, "--runbook", services.get(i));
    }

    private void assertHeld(int i, VcrRun r, int failures) throws Exception {
        RecoverFixture f = fixtures.get(i);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(15);
        assertThat(r.out()).startsWith(services.get(i) + ": held: " + failures + " failures in 60 s looks like a partition"
                + " or a monitoring fault; approve from the host menu or with `vcr approve --service " + services.get(i) + "`");
        assertThat(libvirt.domainLookupByName(domains.get(i)).isActive()).as("domain not destroyed").isEqualTo(1);
        assertThat(f.dig()).as("DNS unchanged").containsExactly(f.address(1));
        Event e = f.zabbix().event(events.get(i)).orElseThrow();
        assertThat(e.acknowledged()).as("left for a human").isFalse();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).anySatisfy(m -> assertThat(m)
                .startsWith("vcr: " + services.get(i) + " held: " + failures + " failures in 60 s")
                .contains("(exit 15 HELD)", "\nbreaker failed ")
                .doesNotContain("\nfence ", "\ncheck ", "\ndns "));
    }

    private void assertRecovered(int i, VcrRun r) throws Exception {
        RecoverFixture f = fixtures.get(i);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(libvirt.domainLookupByName(domains.get(i)).isActive()).as("primary fenced").isZero();
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.zabbix().event(events.get(i)).orElseThrow().acknowledged()).isTrue();
    }

    @Test
    void threeFailuresAtOnceRecoverOneHoldTheOthersAndAnApprovalRecoversExactlyTheApprovedOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<VcrRun> runs = new ArrayList<>();
        try {
            List<Future<VcrRun>> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                started.add(pool.submit(() -> recover(n)));
            }
            for (Future<VcrRun> s : started) runs.add(s.get(2, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }
        List<Integer> held = new ArrayList<>();
        int recovered = -1;
        for (int i = 0; i < 3; i++) {
            if (runs.get(i).exit() == 0) {
                assertThat(recovered).as("only one recovered: " + runs).isEqualTo(-1);
                recovered = i;
            } else {
                held.add(i);
            }
        }
        assertThat(recovered).as("one recovered: " + runs).isNotEqualTo(-1);
        assertRecovered(recovered, runs.get(recovered));
        // the first held saw one failure before its own, the second two
        VcrRun a = runs.get(held.get(0));
        VcrRun b = runs.get(held.get(1));
        int aCount = a.out().contains(" held: 2 failures") ? 2 : 3;
        assertHeld(held.get(0), a, aCount);
        assertHeld(held.get(1), b, 5 - aCount);

        int approved = held.get(1);
        int other = held.get(0);
        VcrRun approve = main.vcr("approve", "--config", main.dir.resolve("vcr.yaml").toString(), "--service", services.get(approved));
        assertThat(approve.exit()).as(approve.out() + approve.err()).isZero();
        assertThat(approve.out()).startsWith("approved service " + services.get(approved) + " until ");

        assertHeld(other, recover(other), 3);
        assertRecovered(approved, recover(approved));
        assertThat(libvirt.domainLookupByName(domains.get(other)).isActive()).as("the unapproved one untouched").isEqualTo(1);
        assertThat(fixtures.get(other).dig()).containsExactly(fixtures.get(other).address(1));
    }

    @Test
    void theGlobalMacroAtZeroHoldsAnAutomaticRunWhileARunByHandStillRecovers() throws Exception {
        var api = main.zabbix();
        for (var m : api.call("usermacro.get", java.util.Map.of("globalmacro", true, "filter",
                java.util.Map.of("macro", "{$VCR.AUTO}")))) {
            api.call("usermacro.deleteglobal", List.of(m.path("globalmacroid").asText()));
        }
        String id = api.call("usermacro.createglobal", java.util.Map.of("macro", "{$VCR.AUTO}", "value", "0"))
                .path("globalmacroids").get(0).asText();
        try {
            RecoverFixture f = fixtures.get(0);
            VcrRun r = recover(0);
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(15);
            assertThat(r.out()).startsWith(services.get(0) + ": held: automatic recovery is switched off (Zabbix global macro"
                    + " {$VCR.AUTO} = 0); run by hand or approve");
            assertThat(libvirt.domainLookupByName(domains.get(0)).isActive()).isEqualTo(1);
            assertThat(f.dig()).containsExactly(f.address(1));
            assertThat(f.zabbix().event(events.get(0)).orElseThrow().acknowledges()).extracting(Acknowledgement::message)
                    .singleElement().asString().contains("switched off (Zabbix global macro {$VCR.AUTO} = 0)");

            VcrRun byHand = main.recover("--runbook", services.get(0));
            assertThat(byHand.exit()).as(byHand.out() + byHand.err()).isZero();
            assertThat(f.dig()).containsExactly(f.address(2));
        } finally {
            api.call("usermacro.deleteglobal", List.of(id));
        }
    }
}
