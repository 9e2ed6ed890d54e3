package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * Executes a runbook: the pipeline of {@code vcr recover}.
 *
 * <pre>
 *  lock → dedup → event still open → maintenance → dns-read → confirm → breaker → [ladder] → fence ─┐
 *                                                       start/resume + check ─┴→ dns (compare-and-swap + verify)
 *       → recheck → ack (+ report to Zabbix, in parallel) → audit
 * </pre>
 * The event question (is the triggering problem still open?), the maintenance question and the
 * kill switch's macro go to the API as one request ({@link ZabbixPort#ask}), started at once with
 * the DNS read, in parallel with the lock, as they only read; answers read just before the run
 * (by {@code --pending}'s request, {@link AnsweredQuestions}) are not asked again. The two
 * questions that confirm the failure start at once too ({@link ConfirmStage}: the
 * primary's service checked once, its domain's state read, which opens the run's connection to
 * the primary's libvirt for the fence). A primary that is not confirmed failed ends the run
 * PRIMARY_HEALTHY with nothing touched. An automatic run beyond the circuit breaker's limit, or
 * with the kill switch on, ends HELD with nothing touched ({@link BreakerStage}; the kill
 * switch's Zabbix macro is asked with the other early questions). The
 * fence runs while the standbys are tried: DNS moves only when both succeeded. When the fence
 * fails (and the runbook does not allow switching unfenced) the run ends FENCING_FAILED, DNS
 * untouched, and a standby this run started is stopped (or suspended) again. A standby that stops
 * answering right after the switch ends the run SERVICE_DOWN ({@link RecheckStage}). {@link #run} is the
 * list of {@link Stage}s in that order; the first that stops the run (a {@link Verdict} with an
 * {@link ExitCode}) decides the outcome. The ack and the audit line happen whatever the outcome
 * ({@link RunFrame}; see {@link AckStage} for which runs ack), the dedup record on success once
 * the event is acknowledged (a run whose ack failed records none: the rerun of its event is not
 * a duplicate, re-runs idempotently and acknowledges). The lock is held until the audit line is written.
 *
 * <p>Never throws for what happens on the network or in a backend: every failure is a step
 * result and an exit code in the returned report.
 */
public final class Recovery {
    private final Runbook runbook;
    private final VcrConfig config;
    private final RunContext.Ports ports;
    private final PrintWriter err;

    /**
     * @param zabbix null when no Zabbix API is configured
     * @param err    where slow steps report progress (stderr)
     */
    public Recovery(Runbook runbook, VcrConfig config, ZabbixPort zabbix, DnsPort dns, StandbyBackends backends,
                    ServiceChecker checker, PrintWriter err) {
        this.runbook = runbook;
        this.config = config;
        this.ports = new RunContext.Ports(zabbix, dns, checker, backends);
        this.err = err;
    }

    /**
     * Runs the recovery of this runbook's service for {@code eventId} (null: by hand), forcing
     * {@code standby} when not null (it must be one of the runbook's).
     */
    public RecoveryReport run(String eventId, String standby) {
        return run(eventId, standby, null);
    }

    /**
     * As {@link #run(String, String)}, using the guard's {@code early} answers where they were
     * already asked (null: none; a null future in them: that one is asked here).
     */
    RecoveryReport run(String eventId, String standby, ZabbixPort.Questions early) {
        return run(new RunContext(runbook, config, eventId, standby, ports, err), early);
    }

    /**
     * The recovery of one VM of a dead KVM host ({@code vcr recover --host-down}): {@code hostProof}
     * (not null) says how the host was proven dead, once for all its VMs; it stands for this run's
     * confirm and fence. The run has no event of its own (the host's event gets one summary): not
     * deduplicated, held or acknowledged here, its maintenance not asked (the host run asked the
     * KVM host's), its ladder not climbed (nothing restarts on a dead host). Lock, standby start
     * and check, DNS compare-and-swap, report and audit line are its own.
     */
    public RecoveryReport runProven(String hostProof) {
        java.util.Objects.requireNonNull(hostProof, "hostProof == null");
        return run(new RunContext(runbook, config, null, null, hostProof, ports, err), null);
    }

    private RecoveryReport run(RunContext run, ZabbixPort.Questions early) {
        String eventId = run.eventId;
        ZabbixPort zabbix = ports.zabbix();
        // The guard's questions only read: asked at once (one request to the API), in parallel with the lock.
        ZabbixPort.Questions q = zabbix == null || run.hostProof != null ? early
                : complete(zabbix, run, early, runbook.zabbixHost(), eventId, BreakerStage.macro(run));
        Future<Boolean> resolved = q == null || eventId == null ? null : q.resolved();
        Future<Boolean> inMaintenance = q == null ? null : q.inMaintenance();
        Future<List<String>> dnsRead = run.executor.submit(ports.dns()::current);
        ConfirmStage.Pending confirm = ConfirmStage.start(run);
        Future<String> autoMacro = q == null ? null : q.globalMacro();
        // Recorded only once the event is acknowledged: a run that recovered but could not ack (the
        // API down, or killed in between) must not make the rerun of its event a silent
        // DUPLICATE that leaves the event unacknowledged for good; the rerun recovers again (DNS is
        // already switched: an idempotent re-run) and acknowledges.
        run.afterAck = () -> {
            if (run.exit == ExitCode.OK && !run.ackFailed) recordDedup(run);
        };
        return RunFrame.run(run, "recovery already in progress", () -> {
            Verdict v = Verdict.first(run,
                    // guard
                    GuardStages::dedup,
                    r -> GuardStages.stillAProblem(r, resolved),
                    r -> GuardStages.maintenance(r, inMaintenance),
                    r -> DnsStages.read(r, dnsRead, "recovered", true),
                    r -> ConfirmStage.await(r, confirm),
                    r -> BreakerStage.run(r, autoMacro),
                    LadderStage::run,
                    // (fence primary ∥ standby up + port check)
                    FailoverStage::run,
                    // DNS switch, and the standby checked once more behind it
                    DnsStages::switchToStandby,
                    RecheckStage::run);
            if (!v.stops()) v = Verdict.stop(ExitCode.OK, "recovered on " + run.chosen.name() + " (" + run.chosenAddress + ")");
            return v;
        }, r -> r.chosen == null ? null : r.chosen.name(),
                Recovery::report, ReportStage.ZABBIX, inMaintenance, resolved, dnsRead, confirm.service(), confirm.state(), autoMacro);
    }

    /**
     * The {@code known} answers (null: none), with what they lack asked now in one request. The
     * maintenance question is asked with its event, so asking it asks the event's state too.
     */
    static ZabbixPort.Questions complete(ZabbixPort zabbix, RunContext run, ZabbixPort.Questions known, String host,
                                         String eventId, String macro) {
        if (known == null) return zabbix.ask(run.executor, host, eventId, macro);
        boolean maintenance = host != null && known.inMaintenance() == null;
        boolean resolved = eventId != null && known.resolved() == null;
        boolean auto = macro != null && known.globalMacro() == null;
        if (!maintenance && !resolved && !auto) return known;
        ZabbixPort.Questions fresh = zabbix.ask(run.executor, maintenance ? host : null,
                maintenance || resolved ? eventId : null, auto ? macro : null);
        return new ZabbixPort.Questions(maintenance || resolved ? fresh.resolved() : known.resolved(),
                maintenance ? fresh.inMaintenance() : known.inMaintenance(), auto ? fresh.globalMacro() : known.globalMacro());
    }

    private void recordDedup(RunContext ctx) {
        try {
            new DedupLog(config.stateDir(), runbook.service()).record(ctx.eventId, DedupLog.Now.system());
        } catch (IOException e) {
            ctx.notes.add("dedup record not written: " + e.getMessage());
        }
    }

    static RecoveryReport report(RunContext ctx) {
        return new RecoveryReport(ctx.runbook.service(),
                ctx.runbook.source() == null ? null : ctx.runbook.source().toString(),
                ctx.eventId, ctx.exit, ctx.headline,
                ctx.exit == ExitCode.OK && ctx.chosen != null ? ctx.chosen.name() : null,
                ctx.exit == ExitCode.OK ? ctx.chosenAddress : null,
                ctx.started, ctx.elapsedMillis(), ctx.runner.steps(), ctx.notes);
    }
}
