package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
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
 *  lock → dedup → event still open → maintenance → dns-read → confirm → [ladder] → fence ─┐
 *                                                       start/resume + check ─┴→ dns (compare-and-swap + verify)
 *       → ack (+ report to Zabbix, in parallel) → audit
 * </pre>
 * The event question (is the triggering problem still open?), the maintenance question and the
 * DNS read are started at once, in parallel with the lock, as
 * they only read; so are the two questions that confirm the failure ({@link ConfirmStage}: the
 * primary's service checked once, its domain's state read, which opens the run's connection to
 * the primary's libvirt for the fence). A primary that is not confirmed failed ends the run
 * PRIMARY_HEALTHY with nothing touched. The
 * fence runs while the standbys are tried: DNS moves only when both succeeded. When the fence
 * fails (and the runbook does not allow switching unfenced) the run ends FENCING_FAILED, DNS
 * untouched, and a standby this run started is stopped (or suspended) again. Each stage may end
 * the run with an {@link ExitCode}; the ack, the dedup record
 * and the audit line happen whatever the outcome (see {@link AckStage} for which runs ack). The
 * lock is held until the audit line is written.
 *
 * <p>Never throws for what happens on the network or in a backend: every failure is a step
 * result and an exit code in the returned report.
 */
public final class Recovery {
    private final Runbook runbook;
    private final VcrConfig config;
    private final ZabbixPort zabbix;
    private final DnsPort dns;
    private final StandbyBackends backends;
    private final ServiceChecker checker;
    private final PrintWriter err;

    /**
     * @param zabbix null when no Zabbix API is configured
     * @param err    where slow steps report progress (stderr)
     */
    public Recovery(Runbook runbook, VcrConfig config, ZabbixPort zabbix, DnsPort dns, StandbyBackends backends,
                    ServiceChecker checker, PrintWriter err) {
        this.runbook = runbook;
        this.config = config;
        this.zabbix = zabbix;
        this.dns = dns;
        this.backends = backends;
        this.checker = checker;
        this.err = err;
    }

    /**
     * Runs the recovery of this runbook's service for {@code eventId} (null: by hand), forcing
     * {@code standby} when not null (it must be one of the runbook's).
     */
    public RecoveryReport run(String eventId, String standby) {
        return run(eventId, standby, null);
    }

    /** As {@link #run(String, String)}, using {@code maintenance} when the answer was already asked for. */
    RecoveryReport run(String eventId, String standby, Future<Boolean> maintenance) {
        ExecutorService executor = RunFrame.executor();
        RunContext ctx = new RunContext(runbook, config, eventId, standby, zabbix, dns, checker, backends, executor, err);
        Future<Boolean> resolved = zabbix == null || eventId == null ? null
                : executor.submit(() -> zabbix.problemResolved(eventId));
        Future<Boolean> inMaintenance = maintenance != null || zabbix == null ? maintenance
                : executor.submit(() -> zabbix.inMaintenance(runbook.zabbixHost()));
        Future<List<String>> dnsRead = executor.submit(dns::current);
        ConfirmStage.Pending confirm = ConfirmStage.start(ctx);
        return RunFrame.run(ctx, "recovery already in progress", () -> {
            pipeline(ctx, resolved, inMaintenance, dnsRead, confirm);
            if (!ctx.finished()) {
                ctx.finish(ExitCode.OK, "recovered on " + ctx.chosen.name() + " (" + ctx.chosenAddress + ")");
            }
            if (ctx.exit == ExitCode.OK) recordDedup(ctx);
            return ctx.chosen == null ? null : ctx.chosen.name();
        }, Recovery::report, ReportStage.ZABBIX, inMaintenance, resolved, dnsRead, confirm.service(), confirm.state());
    }

    private static void pipeline(RunContext ctx, Future<Boolean> resolved, Future<Boolean> maintenance,
                                 Future<List<String>> dnsRead, ConfirmStage.Pending confirm) {
        GuardStages.dedup(ctx, new DedupLog(ctx.config.stateDir(), ctx.runbook.service()));
        if (ctx.finished()) return;
        GuardStages.stillAProblem(ctx, resolved);
        if (ctx.finished()) return;
        GuardStages.maintenance(ctx, maintenance);
        if (ctx.finished()) return;
        DnsStages.preflight(ctx, dnsRead);
        if (ctx.finished()) return;
        ConfirmStage.await(ctx, confirm);
        if (ctx.finished()) return;
        if (!ctx.runbook.ladder().isEmpty()) {
            LadderStage.run(ctx);
            if (ctx.finished()) return;
        }
        StepRunner.Running fence = FenceStage.start(ctx);
        List<String> failures = new ArrayList<>();
        StandbyStage.Up up = StandbyStage.bringUp(ctx, () -> FenceStage.failedForGood(ctx, fence), failures);
        FenceStage.finish(ctx, fence);
        if (ctx.finished()) {
            if (up != null) StandbyStage.putBack(ctx, up);
            return;
        }
        if (up == null) {
            StandbyStage.none(ctx, failures);
            return;
        }
        StandbyStage.choose(ctx, up);
        DnsStages.swap(ctx);
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
