package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * The guards of {@code vcr recover} against the real Zabbix and BIND: two concurrent runs (one
 * recovers, one exits IN_PROGRESS naming the holder), a duplicate event dropped, a host in
 * maintenance left alone, an event whose problem already resolved left alone, a runbook with a typo and a shell-injection macro refused; in every
 * refused case DNS is unchanged.
 */
class RecoverGuardIT {
    private RecoverFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = RecoverFixture.recordOnPrimary("rgd");
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    /** A runbook whose primary is proven dead by its silent port and whose warm standby is checked only. */
    private void runbook(String zabbixHost, String typo) throws Exception {
        f.runbook(f.service, f.runbookYaml().zabbixHost(zabbixHost).standby(f.warm()).checkTimeout("300ms")
                .then("limits:\n  check-timeout: 20s\n").yaml().replace("kind:", typo));
    }

    @Test
    void twoConcurrentRunsRecoverOnceAndTheRepeatedEventIsDropped() throws Exception {
        f.createZabbixHost();
        String event = f.raiseProblem();
        runbook(f.host, "kind:");
        f.config();

        // The first run waits for the standby's service (not started yet) while holding the lock.
        CompletableFuture<VcrRun> first = CompletableFuture.supplyAsync(() ->
                f.recover("--event-id", event, "--trigger-host", f.host));
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(f.state.resolve("locks/" + f.service + ".holder")));

        VcrRun second = f.recover("--event-id", event, "--trigger-host", f.host);
        assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(9);
        assertThat(second.out()).startsWith(f.service + ": recovery already in progress, held by pid "
                + ProcessHandle.current().pid() + " on ");

        f.serveHttp(f.address(2));
        VcrRun r = first.get();
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": recovered on warm (" + f.address(2) + ")");
        assertThat(f.dig()).containsExactly(f.address(2));

        f.dnsSet(f.address(1)); // put it back: a dropped duplicate must not touch it
        VcrRun again = f.recover("--event-id", event, "--trigger-host", f.host);
        assertThat(again.exit()).isEqualTo(10);
        assertThat(again.out()).contains("duplicate event dropped (event " + event + " was already recovered");
        assertThat(f.dig()).containsExactly(f.address(1));
        assertThat(f.zabbix().event(event).orElseThrow().acknowledges()).hasSize(1);
        assertThat(f.audit()).hasSize(3).anySatisfy(l -> assertThat(l).contains("\"result\":\"IN_PROGRESS\""))
                .anySatisfy(l -> assertThat(l).contains("\"result\":\"DUPLICATE\""));
    }

    @Test
    void aHostInMaintenanceIsLeftAloneAndTheEventOnlyAnnotated() throws Exception {
        f.createZabbixHost();
        String event = f.raiseProblem();
        f.startMaintenance();
        runbook(f.host, "kind:");
        f.config();
        f.serveHttp(f.address(2));

        VcrRun r = f.recover("--event-id", event, "--vm", "{EVENT.TAGS.vm}", "--trigger-host", f.host);

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(11);
        assertThat(r.out()).startsWith(f.service + ": left alone: host " + f.host + " is in maintenance");
        assertThat(f.dig()).containsExactly(f.address(1));
        Event e = f.zabbix().event(event).orElseThrow();
        assertThat(e.acknowledged()).isFalse();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).singleElement().asString()
                .contains("left alone: host " + f.host + " is in maintenance", "maintenance failed");
    }

    @Test
    void anEventWhoseProblemResolvedBeforeTheActionRanChangesNothing() throws Exception {
        f.createZabbixHost();
        String event = f.raiseProblem();
        f.resolveProblems();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> !"0".equals(f.zabbix().event(event).orElseThrow().recoveryEventId()));
        runbook(f.host, "kind:");
        f.config();
        f.serveHttp(f.address(2));

        VcrRun r = f.recover("--event-id", event, "--trigger-host", f.host);

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(13);
        assertThat(r.out()).startsWith(f.service + ": left alone: the problem of event " + event + " was already resolved");
        assertThat(f.dig()).containsExactly(f.address(1));
    }

    @Test
    void aRunbookWithATypoAndAShellInjectionAreRefusedAndNothingChanges() throws Exception {
        runbook("rgd-host-" + f.suffix, "kinds:");
        f.config(null, "");
        f.serveHttp(f.address(2));

        VcrRun typo = f.recover("--runbook", f.service);
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("has problems (nothing was changed)", ".yaml:7: standbys[0].kinds: unknown key (did you mean kind?)");

        VcrRun injected = f.recover("--event-id", "1", "--trigger-host", "x; rm -rf /");
        assertThat(injected.exit()).isEqualTo(2);
        assertThat(injected.err()).isEqualTo("vcr: --trigger-host: 'x; rm -rf /' is not a valid name: use letters, digits,"
                + " '_', '.', '-', starting with a letter or digit (contains ';', a shell metacharacter: refused); nothing was changed\n");

        assertThat(f.dig()).containsExactly(f.address(1));
        assertThat(f.state).doesNotExist();
    }
}
