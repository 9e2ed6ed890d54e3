package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.vcrecovery.vcr.ExitCode;

/**
 * What every run of a runbook (recovery or failback) does around its own stages, as one
 * top-level sequence: take the service's lock, run the stages holding it (their first stop is
 * the outcome), tell Zabbix (event ack and report item, in
 * parallel), run the caller's after-ack step ({@link RunContext#afterAck}), write the audit line, release the lock, close the backends and the step threads.
 * A run refused the lock ends at once, its early questions cancelled (audited when another run
 * holds the lock). Never throws for what happens on the network.
 */
final class RunFrame {
    private RunFrame() {}

    /** The daemon threads a run's concurrent steps and early questions use. */
    static ExecutorService executor() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vcr-step");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param stages  runs the run's own stages; returns the outcome (a stop)
     * @param reportTo the standby whose Zabbix host gets the report item, or null
     * @param draft   the run's report as it stands, for the ack message and the report item
     * @param early   questions started before the lock, cancelled if the lock is refused
     */
    static RecoveryReport run(RunContext ctx, String heldHeadline, Supplier<Verdict> stages,
                              Function<RunContext, String> reportTo, Function<RunContext, RecoveryReport> draft,
                              ReportStage.Sender sender, Future<?>... early) {
        try {
            GuardStages.Lock lock = GuardStages.lock(ctx, heldHeadline);
            if (lock.refused() != null) {
                ctx.end(lock.refused());
                for (Future<?> f : early) if (f != null) f.cancel(true);
                RecoveryReport report = draft.apply(ctx);
                if (ctx.exit == ExitCode.IN_PROGRESS) GuardStages.audit(ctx, report);
                return report;
            }
            try {
                ctx.end(stages.get());
                ReportStage.Pending sent = ReportStage.start(ctx, reportTo.apply(ctx), draft, sender);
                AckStage.run(ctx, draft);
                if (ctx.afterAck != null) ctx.afterAck.run();
                ReportStage.finish(ctx, sent);
                RecoveryReport report = draft.apply(ctx);
                GuardStages.audit(ctx, report);
                return report;
            } finally {
                try {
                    lock.held().close();
                } catch (IOException e) {
                    ctx.err.println("vcr: " + ctx.runbook.service() + ": cannot release lock: " + e.getMessage());
                }
            }
        } finally {
            // A step given up on that completes later is undone with its backend: close them after it.
            ctx.runner.whenSettled(ctx.backends::close);
            ctx.executor.shutdownNow();
        }
    }
}
