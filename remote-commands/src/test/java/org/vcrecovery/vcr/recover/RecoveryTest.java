package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The recovery pipeline against fakes of Zabbix, DNS and the backends, with real sockets on
 * loopback addresses for the service checks (a bound socket is a service that answers).
 */
class RecoveryTest {
    @TempDir
    Path state;

    final LoopbackServices services = new LoopbackServices();
    final String primary = services.host(1);
    final String warm = services.host(2);
    final String cold = services.host(3);
    final int port = services.port;

    Fakes.Zabbix zabbix = new Fakes.Zabbix();
    Fakes.Backend lxc = new Fakes.Backend("lxc");
    Fakes.Backend libvirt = new Fakes.Backend("libvirt");
    Fakes.Dns dns;
    VcrConfig config;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        libvirt.states.put("svc-vm", StandbyState.RUNNING);
        lxc.states.put("cold", StandbyState.STOPPED);
        lxc.onStart.put("cold", () -> serve(cold));
        config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/api_jsonrpc.php"), Path.of("/t"), null,
                null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, null), state, state, Duration.ofMinutes(10), null);
    }

    @AfterEach
    void closeSockets() throws IOException {
        services.close();
    }

    void serve(String address) {
        services.serve(address);
    }

    Runbook runbook(String extra) throws Exception {
        Runbook rb = TestRunbook.primary(primary).standby("warm", "warm-container", "lxc", warm)
                .standby("cold", "cold-container", "lxc", cold).check("tcp", port, "200ms")
                .then("limits:\n  check-timeout: 300ms\n" + extra).read();
        if (dns == null) dns = new Fakes.Dns(rb.dns(), primary);
        return rb;
    }

    RecoveryReport recover(Runbook rb, String event) {
        return recover(rb, event, null);
    }

    RecoveryReport recover(Runbook rb, String event, String standby) {
        return new Recovery(rb, config, zabbix, dns, StandbyBackends.of(List.of(Fakes.factory(lxc), Fakes.factory(libvirt))),
                new ServiceChecker(), new PrintWriter(errWriter, true)).run(event, standby);
    }

    /** What was done to a backend beyond reading its state (the run opens the primary's libvirt early with a status read). */
    static List<String> changes(Fakes.Backend b) {
        synchronized (b.calls) {
            return b.calls.stream().filter(c -> !c.startsWith("status ")).toList();
        }
    }

    /** When set, the gate on the fake libvirt: the primary's fence waits for it to open. */
    Gate gatedPrimary;

    /** stderr, and a latch that opens once the run says it is waiting for a slow fence. */
    final CountDownLatch waitingForFence = new CountDownLatch(1);
    final Writer errWriter = new Writer() {
        @Override
        public void write(char[] buf, int off, int len) {
            synchronized (err) {
                err.write(buf, off, len);
                if (err.toString().contains("fence still running after")) waitingForFence.countDown();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    /**
     * A gate on the fake libvirt ({@link #gatePrimary}): every call on the primary's domain waits
     * for {@code gate} (at most 10 s, then it fails), then fails with {@code failure} if set, else
     * goes on to {@link #libvirt}.
     */
    final class Gate {
        final CountDownLatch gate = new CountDownLatch(1);
        volatile StandbyException failure;
        /** DNS updates seen when the gate opened. */
        volatile int dnsUpdatesAtGate = -1;

        private void pass(String target) {
            if (!target.equals("svc-vm")) return;
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) throw new StandbyException(StandbyException.Code.TIMEOUT, "gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StandbyException(StandbyException.Code.FAILED, "interrupted");
            }
            if (dnsUpdatesAtGate < 0) dnsUpdatesAtGate = dns.updates.size();
            if (failure != null) throw failure;
        }
    }

    /** Puts a new {@link Gate} on the fake libvirt and returns it. */
    Gate gatePrimary() {
        Gate g = new Gate();
        libvirt.before = g::pass;
        return g;
    }

    static StepResult step(RecoveryReport r, String name) {
        return r.steps().stream().filter(s -> s.name().equals(name)).reduce((a, b) -> b).orElseThrow();
    }

    static java.time.Instant end(StepResult s) {
        return s.started().plusMillis(s.millis());
    }

    @Test
    void aStandbyThatDiesRightAfterTheDnsSwitchIsNotReportedRecoveredAndTheRerunMovesDnsOn() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.afterSwap = () -> {
            services.stop(warm); // it passed its check, DNS went to it, and then it died
            dns.afterSwap = () -> {};
        };

        RecoveryReport r = recover(rb, "1001");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(r.headline()).startsWith("standby warm (" + warm + ") stopped answering right after the DNS switch (warm ")
                .endsWith("); DNS left on it: rerun vcr recover to move it to the next standby");
        assertThat(step(r, "recheck").ok()).isFalse();
        assertThat(dns.values).as("not put back on the fenced primary").containsExactly(warm);
        assertThat(zabbix.acks).singleElement().asString().contains("stopped answering right after the DNS switch");

        RecoveryReport again = recover(rb, "1001");

        assertThat(again.exitCode()).as(again.headline()).isEqualTo(ExitCode.OK);
        assertThat(again.standby()).isEqualTo("cold");
        assertThat(dns.values).containsExactly(cold);
        assertThat(dns.updates).containsExactly("[" + primary + "]->" + warm, "[" + warm + "]->" + cold);
    }

    @Test
    void aWarmStandbyIsCheckedTheDnsSwitchedAndTheEventAcknowledged() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook(""), "1001");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.standby()).isEqualTo("warm");
        assertThat(dns.values).containsExactly(warm);
        assertThat(libvirt.calls).contains("stop svc-vm");
        assertThat(lxc.calls).doesNotContain("start warm");
        assertThat(r.steps()).extracting(StepResult::name)
                .containsExactly("lock", "dedup", "event", "maintenance", "dns-read", "confirm", "breaker", "fence", "check", "dns", "recheck",
                        "ack");
        assertThat(step(r, "dns").started()).isAfterOrEqualTo(end(step(r, "fence")));
        assertThat(step(r, "recheck").started()).isAfterOrEqualTo(end(step(r, "dns")));
        assertThat(r.summary()).matches("svc: recovered on warm \\(" + warm.replace(".", "\\.") + "\\) in \\d+ ms: event \\d+ ms,"
                + " maintenance \\d+ ms, dns-read \\d+ ms, breaker \\d+ ms, fence \\d+ ms, check \\d+ ms, dns \\d+ ms, recheck \\d+ ms, ack \\d+ ms");
        assertThat(zabbix.acks).singleElement().asString()
                .startsWith("1001 ack vcr: svc recovered on warm")
                .contains("fence ok", "destroyed domain svc-vm", "check ok", "dns ok", "switched svc.example.test. A " + primary + " -> " + warm);
        assertThat(Files.readAllLines(state.resolve("audit.jsonl"))).singleElement().asString()
                .contains("\"event_id\":\"1001\"", "\"result\":\"OK\"", "\"name\":\"fence\"");
    }

    @Test
    void theSameEventTwiceIsADuplicateAndSoIsAnotherEventInsideTheWindow() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        assertThat(recover(rb, "7").exitCode()).isEqualTo(ExitCode.OK);
        RecoveryReport again = recover(rb, "7");
        RecoveryReport other = recover(rb, "8");

        assertThat(again.exitCode()).isEqualTo(ExitCode.DUPLICATE);
        assertThat(again.headline()).contains("event 7 was already recovered");
        assertThat(other.exitCode()).isEqualTo(ExitCode.DUPLICATE);
        assertThat(other.headline()).contains("inside the dedup window of 10m");
        assertThat(dns.updates).hasSize(1);
        assertThat(zabbix.acks).hasSize(1);
    }

    @Test
    void aHostInMaintenanceIsLeftAlone() throws Exception {
        serve(warm);
        zabbix.maintenance = true;
        RecoveryReport r = recover(runbook(""), "9");

        assertThat(r.exitCode()).isEqualTo(ExitCode.IN_MAINTENANCE);
        assertThat(changes(libvirt)).isEmpty();
        assertThat(dns.updates).isEmpty();
        assertThat(zabbix.acks).singleElement().asString().startsWith("9 msg ").contains("in maintenance");
    }

    @Test
    void answersReadBeforeTheRunAreUsedInsteadOfAskingAgain() throws Exception {
        // --pending read the event open and the host not in maintenance; the API would now say otherwise
        serve(warm);
        zabbix.maintenance = true;
        ZabbixPort.Questions known = new ZabbixPort.Questions(java.util.concurrent.CompletableFuture.completedFuture(false),
                java.util.concurrent.CompletableFuture.completedFuture(false), null);
        RecoveryReport used = recoverWith(runbook(""), "9", known);
        assertThat(used.exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void anAnswerTheEarlyRequestCouldNotGiveIsAskedAndDecides() throws Exception {
        serve(warm);
        zabbix.maintenance = true;
        ZabbixPort.Questions noMaintenance = new ZabbixPort.Questions(java.util.concurrent.CompletableFuture.completedFuture(false),
                null, null);
        assertThat(recoverWith(runbook(""), "9", noMaintenance).exitCode()).isEqualTo(ExitCode.IN_MAINTENANCE);
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void anEventThePendingRequestDidNotSeeOpenIsAskedAboutAndStillRefusedWhenResolved() throws Exception {
        serve(warm);
        zabbix.resolved = true;
        // what AnsweredQuestions gives for an event its problem.get did not list: its state unknown
        ZabbixPort.Questions known = new ZabbixPort.Questions(null, java.util.concurrent.CompletableFuture.completedFuture(false),
                java.util.concurrent.CompletableFuture.completedFuture(null));
        RecoveryReport r = recoverWith(runbook(""), "9", known);

        assertThat(r.exitCode()).isEqualTo(ExitCode.STALE_EVENT);
        assertThat(changes(libvirt)).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    RecoveryReport recoverWith(Runbook rb, String event, ZabbixPort.Questions known) {
        return new Recovery(rb, config, zabbix, dns, StandbyBackends.of(List.of(Fakes.factory(lxc), Fakes.factory(libvirt))),
                new ServiceChecker(), new PrintWriter(errWriter, true)).run(event, null, known);
    }

    @Test
    void anEventWhoseProblemWasAlreadyResolvedChangesNothing() throws Exception {
        // The escalator can run the action's command seconds after the VM came back: fencing
        // then would take down a primary that is fine again.
        serve(warm);
        zabbix.resolved = true;
        RecoveryReport r = recover(runbook(""), "9");

        assertThat(r.exitCode()).isEqualTo(ExitCode.STALE_EVENT);
        assertThat(r.headline()).contains("event 9 was already resolved");
        assertThat(changes(libvirt)).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void anOpenProblemIsRecovered() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook(""), "9");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.summary()).contains("event ");
    }

    @Test
    void anUnreachableZabbixDoesNotBlockRecoveryByDefaultButIsReported() throws Exception {
        serve(warm);
        zabbix.maintenanceFailure = new IOException("connection refused");
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).singleElement().asString().startsWith("maintenance unknown (Zabbix: connection refused)");
        assertThat(r.summary()).contains("maintenance failed", "; maintenance unknown");
    }

    @Test
    void anUnreachableZabbixWithPolicyRefuseChangesNothing() throws Exception {
        serve(warm);
        zabbix.maintenanceFailure = new IOException("connection refused");
        config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/"), Path.of("/t"), null, null,
                Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.REFUSE, null), state, state, Duration.ofMinutes(10), null);
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(changes(libvirt)).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void aColdStandbyIsStartedWhenTheWarmOneDoesNotAnswer() throws Exception {
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.standby()).isEqualTo("cold");
        assertThat(lxc.calls).contains("start cold");
        assertThat(dns.values).containsExactly(cold);
        assertThat(r.steps()).extracting(s -> s.name() + " " + s.outcome().label())
                .containsSubsequence("check failed", "start ok", "check ok", "dns ok");
    }

    @Test
    void aStandbyThatWeStartedAndThatFailsIsStoppedAgainAndDnsStaysPut() throws Exception {
        lxc.onStart.clear();
        RecoveryReport r = recover(runbook(""), "11");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(lxc.calls).containsSubsequence("start cold", "stop cold");
        assertThat(lxc.states).containsEntry("cold", StandbyState.STOPPED);
        assertThat(dns.values).containsExactly(primary);
        assertThat(dns.updates).isEmpty();
        assertThat(r.headline()).contains("no standby passed its checks", "warm", "cold");
        assertThat(zabbix.acks).singleElement().asString().startsWith("11 msg ");
    }

    @Test
    void aRunningDomainWhoseServiceAnswersIsHealthyAndNothingIsTouchedButTheAckSaysSo() throws Exception {
        serve(warm);
        serve(primary);
        RecoveryReport r = recover(runbook(""), "1401");

        assertThat(r.exitCode()).isEqualTo(ExitCode.PRIMARY_HEALTHY);
        assertThat(r.exitCode().code()).isEqualTo(14);
        assertThat(r.headline()).startsWith("primary is healthy: event not confirmed (domain svc-vm is running and its service answers")
                .endsWith("; nothing touched");
        assertThat(changes(libvirt)).isEmpty();
        assertThat(changes(lxc)).isEmpty();
        assertThat(dns.updates).isEmpty();
        assertThat(r.steps()).extracting(StepResult::name).doesNotContain("fence", "check", "start", "dns");
        assertThat(zabbix.acks).singleElement().asString().startsWith("1401 msg vcr: svc primary is healthy: event not confirmed");
        assertThat(recover(runbook(""), "1401").exitCode()).as("not recorded as recovered: no dedup").isEqualTo(ExitCode.PRIMARY_HEALTHY);
    }

    @Test
    void aPrimaryWhoseServiceAnswersWhileItsLibvirtCannotBeReachedIsNotConfirmedEither() throws Exception {
        serve(warm);
        serve(primary);
        libvirt.failure = new StandbyException(StandbyException.Code.UNREACHABLE, "libvirt: cannot connect");
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.PRIMARY_HEALTHY);
        assertThat(r.headline()).contains("libvirt cannot tell whether domain svc-vm runs: libvirt: cannot connect", "nothing touched");
        assertThat(dns.updates).isEmpty();
        assertThat(changes(lxc)).isEmpty();
    }

    @Test
    void aDomainThatIsNotRunningIsAConfirmedFailureEvenWhenItsAddressAnswers() throws Exception {
        serve(warm);
        serve(primary);
        libvirt.states.put("svc-vm", StandbyState.PAUSED);
        RecoveryReport r = recover(runbook("fencing:\n  mode: destroy\n  allow-unfenced: true\n"), null);

        assertThat(step(r, "confirm").detail()).isEqualTo("confirmed: domain svc-vm is paused");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(libvirt.calls).contains("stop svc-vm");
        assertThat(dns.values).containsExactly(warm);
    }

    @Test
    void aConfirmedPrimaryThatCannotBeDestroyedAndStillRunsStopsTheRunBeforeDns() throws Exception {
        serve(warm);
        libvirt.stopFailure = new StandbyException(StandbyException.Code.FAILED, "libvirt: operation denied");
        RecoveryReport r = recover(runbook(""), null);

        assertThat(step(r, "confirm").detail()).startsWith("confirmed: the primary's service is silent");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FENCING_FAILED);
        assertThat(r.headline()).contains("destroy failed: libvirt: operation denied", "domain svc-vm is running", "DNS left alone");
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void allowUnfencedSwitchesAnywayAndSaysSo() throws Exception {
        serve(warm);
        libvirt.failure = new StandbyException(StandbyException.Code.UNREACHABLE, "libvirt: cannot connect");
        RecoveryReport r = recover(runbook("fencing:\n  mode: destroy\n  allow-unfenced: true\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).singleElement().asString().startsWith("UNFENCED");
        assertThat(dns.values).containsExactly(warm);
    }

    @Test
    void verifyDeadAcceptsAStoppedDomainWithSilentPorts() throws Exception {
        serve(warm);
        libvirt.states.put("svc-vm", StandbyState.STOPPED);
        RecoveryReport r = recover(runbook("fencing:\n  mode: verify-dead\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.steps()).filteredOn(s -> s.name().equals("fence")).singleElement()
                .satisfies(s -> assertThat(s.detail()).startsWith("proven dead: domain svc-vm is stopped"));
        assertThat(libvirt.calls).doesNotContain("stop svc-vm");
    }

    @Test
    void aRecordSomeoneElseChangedStopsTheRunBeforeAnythingIsTouched() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.values = List.of("127.0.0.99");
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.DNS_FAILED);
        assertThat(r.headline()).contains("someone else changed it; nothing changed");
        assertThat(changes(libvirt)).isEmpty();
        assertThat(dns.values).containsExactly("127.0.0.99");
    }

    @Test
    void anUpdateWithoutATrustworthyReplyIsReportedAsNotConfirmedNeverAsNotSwitched() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.unanswered = new org.vcrecovery.dns.UpdateResult(DnsStages.change(rb.dns(), dns.values, "127.0.10.2"),
                org.vcrecovery.dns.Outcome.UNVERIFIED, "no signed reply; the change may or may not have happened", 1, false,
                java.time.Duration.ZERO);
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.DNS_FAILED);
        assertThat(r.headline()).contains("is up but the DNS switch failed: ")
                .contains(" switch not confirmed: UNVERIFIED: ").doesNotContain("not switched");
    }

    @Test
    void aReRunFindsTheRecordAlreadySwitched() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.values = List.of(warm);
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(dns.updates).isEmpty();
        assertThat(r.steps()).filteredOn(s -> s.name().equals("dns")).singleElement()
                .satisfies(s -> assertThat(s.detail()).startsWith("already switched"));
    }

    @Test
    void anUnreachableDnsServerIsUnreachableBeforeAnythingChanged() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.readFailure = new IOException("no reply from 127.0.0.1:53");
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(changes(libvirt)).isEmpty();
    }

    @Test
    void aFailedAcknowledgementDoesNotFailTheRecovery() throws Exception {
        serve(warm);
        zabbix.ackFailure = new IOException("HTTP 500");
        RecoveryReport r = recover(runbook(""), "12");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).singleElement().asString().isEqualTo("ack failed: HTTP 500");
        assertThat(r.summary()).contains("ack failed", "; ack failed: HTTP 500");
    }

    @Test
    void anEventWhoseAcknowledgementFailedIsNoDuplicateItsRerunRecoversAgainIdempotentlyAndAcknowledges() throws Exception {
        // tests/chaos --faults api-dies-at-switch (the API killed as the DNS update goes out): the
        // failed ack left the event recorded as recovered, so every rerun was a silent DUPLICATE
        // and the recovered problem stayed unacknowledged for good.
        serve(warm);
        Runbook rb = runbook("");
        zabbix.ackFailure = new IOException("HTTP 500");
        assertThat(recover(rb, "14").exitCode()).isEqualTo(ExitCode.OK);
        assertThat(zabbix.acks).isEmpty();
        zabbix.ackFailure = null;
        RecoveryReport again = recover(rb, "14");

        assertThat(again.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(step(again, "dns").detail()).startsWith("already switched");
        assertThat(dns.updates).hasSize(1);
        assertThat(zabbix.acks).singleElement().asString().startsWith("14 ack vcr: svc recovered on warm");
        assertThat(recover(rb, "14").exitCode()).isEqualTo(ExitCode.DUPLICATE);
        assertThat(zabbix.acks).hasSize(1);
    }

    @Test
    void aSecondRunWhileTheLockIsHeldExitsInProgressNamingTheHolder() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        try (ServiceLock held = ServiceLock.tryAcquire(state, "svc").orElseThrow()) {
            RecoveryReport r = recover(rb, "13");
            assertThat(r.exitCode()).isEqualTo(ExitCode.IN_PROGRESS);
            assertThat(r.headline()).contains("held by pid " + ProcessHandle.current().pid());
        }
        assertThat(dns.updates).isEmpty();
        assertThat(recover(rb, "13").exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void theLadderRecoversInPlaceWhenRestartingTheServiceWorks() throws Exception {
        serve(warm);
        zabbix.onScript = () -> serve(primary);
        RecoveryReport r = recover(runbook("ladder:\n  - action: restart-service\n    script: Restart svc\n    wait: 1s\n  - failover\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.headline()).startsWith("recovered in place by restart-service");
        assertThat(zabbix.scripts).containsExactly("Restart svc@svc-vm");
        assertThat(changes(libvirt)).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void theLadderFailsOverWhenThePrimaryStaysDown() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook("ladder:\n  - action: restart-service\n    script: Restart svc\n    wait: 200ms\n"
                + "  - action: reboot-vm\n    wait: 200ms\n  - failover\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.standby()).isEqualTo("warm");
        assertThat(libvirt.calls).containsSubsequence("reboot svc-vm", "stop svc-vm");
        assertThat(r.steps()).extracting(StepResult::name)
                .containsSubsequence("restart-service", "check-primary", "reboot-vm", "check-primary", "fence", "check", "dns");
    }

    @Test
    void aForcedStandbyIsTheOnlyOneTried() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook(""), null, "cold");

        assertThat(r.standby()).isEqualTo("cold");
        assertThat(lxc.calls).contains("start cold");
    }

    @Test
    void theStandbyComesUpWhileThePrimaryIsFencedAndDnsMovesOnlyAfterBoth() throws Exception {
        gatedPrimary = gatePrimary();
        lxc.onStart.put("cold", () -> {
            serve(cold);
            gatedPrimary.gate.countDown(); // the fence goes on only once the standby is starting: they overlap
        });
        RecoveryReport r = recover(runbook(""), null, "cold");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(dns.values).containsExactly(cold);
        assertThat(libvirt.calls).contains("stop svc-vm");
        assertThat(gatedPrimary.dnsUpdatesAtGate).isZero();
        assertThat(r.steps()).extracting(StepResult::name).containsExactly("lock", "dedup", "maintenance", "dns-read",
                "confirm", "breaker", "fence", "start", "check", "dns", "recheck");
        assertThat(step(r, "dns").started()).isAfterOrEqualTo(end(step(r, "fence"))).isAfterOrEqualTo(end(step(r, "check")));
    }

    @Test
    void aSlowFenceHoldsDnsBackUntilItIsDoneThoughTheStandbyPassedLongBefore() throws Exception {
        serve(warm);
        gatedPrimary = gatePrimary();
        Thread opener = new Thread(() -> {
            try {
                // The run prints this while it waits for the fence: the standby's check is over by then.
                waitingForFence.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gatedPrimary.gate.countDown();
        });
        opener.start();
        RecoveryReport r = recover(runbook(""), null, "warm");
        opener.join();

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(gatedPrimary.dnsUpdatesAtGate).isZero();
        assertThat(dns.values).containsExactly(warm);
        assertThat(end(step(r, "check"))).isBefore(end(step(r, "fence")));
        assertThat(step(r, "dns").started()).isAfterOrEqualTo(end(step(r, "fence")));
        assertThat(step(r, "fence").millis()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aFenceThatFailsWhileTheStandbyCameUpStopsThatStandbyAgainAndLeavesDnsAlone() throws Exception {
        gatedPrimary = gatePrimary();
        gatedPrimary.failure = new StandbyException(StandbyException.Code.UNREACHABLE, "libvirt: cannot connect");
        lxc.onStart.put("cold", () -> {
            serve(cold);
            gatedPrimary.gate.countDown();
        });
        RecoveryReport r = recover(runbook(""), "21", "cold");

        assertThat(r.exitCode()).isEqualTo(ExitCode.FENCING_FAILED);
        assertThat(r.exitCode().code()).isEqualTo(8);
        assertThat(r.headline()).contains("could not be fenced", "DNS left alone");
        assertThat(dns.updates).isEmpty();
        assertThat(dns.values).containsExactly(primary);
        assertThat(lxc.calls).containsSubsequence("start cold", "stop cold");
        assertThat(lxc.states).containsEntry("cold", StandbyState.STOPPED);
        assertThat(r.steps()).extracting(s -> s.name() + " " + s.outcome().label())
                .contains("fence failed", "start ok", "stop ok").doesNotContain("dns ok", "dns failed");
        assertThat(step(r, "stop").detail()).contains("stopped cold again", "the primary was not fenced");
        assertThat(zabbix.acks).singleElement().asString().startsWith("21 msg ");
    }

    @Test
    void noStandbyPassingAndAFailedFenceReportBothAndTheFenceDecidesTheCode() throws Exception {
        gatedPrimary = gatePrimary();
        gatedPrimary.failure = new StandbyException(StandbyException.Code.UNREACHABLE, "libvirt: cannot connect");
        lxc.onStart.put("cold", gatedPrimary.gate::countDown); // started, but never answers
        RecoveryReport r = recover(runbook(""), null, "cold");

        assertThat(r.exitCode()).isEqualTo(ExitCode.FENCING_FAILED);
        assertThat(r.steps()).extracting(s -> s.name() + " " + s.outcome().label())
                .contains("fence failed", "start ok", "check failed", "stop ok");
        assertThat(lxc.states).containsEntry("cold", StandbyState.STOPPED);
        assertThat(dns.updates).isEmpty();
    }
}
