package org.vcrecovery.vcr.recover;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.StepResult.Outcome;

/**
 * The guard steps: the per-service lock, then drop duplicate events and leave hosts in
 * maintenance alone (neither of which changes anything), and the audit line every run ends with.
 */
final class GuardStages {
    private GuardStages() {}

    /** How the lock is taken: {@link ServiceLock#tryAcquire} (a test stalls it). */
    interface LockTaker {
        Optional<ServiceLock> tryAcquire(java.nio.file.Path stateDir, String service) throws java.io.IOException;
    }

    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** The lock taken ({@code held}), or why not ({@code refused}, a stop). */
    record Lock(ServiceLock held, Verdict refused) {}

    static Lock lock(RunContext ctx, String heldHeadline) {
        return lock(ctx, heldHeadline, LOCK_TIMEOUT, ServiceLock::tryAcquire);
    }

    /**
     * Takes the service's lock as the "lock" step. Refused when another run holds it ({@link ExitCode#IN_PROGRESS}, the headline starting with {@code heldHeadline} and
     * naming the holder) or the state directory is unusable or too slow ({@link ExitCode#USAGE}).
     * A lock taken after the step timed out is released at once (a long-lived {@code vcr serve}
     * would otherwise hold it until it stops).
     */
    static Lock lock(RunContext ctx, String heldHeadline, Duration timeout, LockTaker taker) {
        java.nio.file.Path stateDir = ctx.config.stateDir();
        String service = ctx.runbook.service();
        ServiceLock[] held = {null};
        StepResult r = ctx.step("lock", timeout, () -> {
            Optional<ServiceLock> l = taker.tryAcquire(stateDir, service);
            if (l.isEmpty()) return Done.failed("held by " + ServiceLock.holder(stateDir, service));
            held[0] = l.get();
            return Done.ok("locked");
        }, () -> {
            if (held[0] == null) return;
            try {
                held[0].close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (r.ok()) return new Lock(held[0], null);
        if (r.detail().startsWith("held by ")) return new Lock(null, Verdict.stop(ExitCode.IN_PROGRESS, heldHeadline + ", " + r.detail()));
        return new Lock(null, Verdict.stop(ExitCode.USAGE, "cannot take the lock in state directory " + stateDir + ": " + r.detail()));
    }

    /** Appends the run's line to the audit log; a failure is said on stderr, never fatal. */
    static void audit(RunContext ctx, RecoveryReport report) {
        try {
            new AuditLog(ctx.config.stateDir()).append(report);
        } catch (java.io.IOException e) {
            ctx.err.println("vcr: " + ctx.runbook.service() + ": audit log not written: " + e.getMessage());
        }
    }

    /** Drops a duplicate event (DUPLICATE); a dedup log that cannot be read is a note. */
    static Verdict dedup(RunContext ctx) {
        DedupLog log = new DedupLog(ctx.config.stateDir(), ctx.runbook.service());
        Duration window = ctx.runbook.limits().dedupWindow() != null
                ? ctx.runbook.limits().dedupWindow() : ctx.config.dedupWindow();
        boolean[] duplicate = {false};
        StepResult r = ctx.step("dedup", Duration.ofSeconds(5), () -> {
            if (ctx.eventId == null) return Done.ok("no event id (run by hand): not deduplicated");
            Optional<String> dup = log.duplicate(ctx.eventId, window, DedupLog.Now.system());
            duplicate[0] = dup.isPresent();
            return dup.map(Done::failed).orElseGet(() -> Done.ok("event " + ctx.eventId + " is new"));
        });
        if (r.outcome() == Outcome.FAILED && duplicate[0]) {
            return Verdict.stop(ExitCode.DUPLICATE, "duplicate event dropped (" + r.detail() + ")");
        }
        if (!r.ok()) ctx.notes.add("dedup check failed: " + r.detail());
        return Verdict.CONTINUE;
    }

    /**
     * Waits for the answer, started at the beginning of the run, to "is the triggering problem
     * still open?". A resolved problem ends the run ({@link ExitCode#STALE_EVENT}) before anything
     * is touched; no event id or no API: not checked; no answer: proceed with a note, since
     * fencing still protects the primary that is really down.
     */
    static Verdict stillAProblem(RunContext ctx, Future<Boolean> resolved) {
        if (ctx.eventId == null || resolved == null) return Verdict.CONTINUE;
        boolean[] gone = {false};
        StepResult r = ctx.step("event", ctx.config.zabbix().timeout(), () -> {
            try {
                gone[0] = resolved.get();
                return gone[0]
                        ? Done.failed("problem of event " + ctx.eventId + " already resolved")
                        : Done.ok("event " + ctx.eventId + " is still a problem");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        });
        if (r.ok()) return Verdict.CONTINUE;
        if (r.outcome() == Outcome.FAILED && gone[0]) {
            return Verdict.stop(ExitCode.STALE_EVENT, "left alone: the problem of event " + ctx.eventId
                    + " was already resolved when the action ran");
        }
        resolved.cancel(true);
        ctx.notes.add("event state unknown (Zabbix: " + r.detail() + "): recovered anyway");
        return Verdict.CONTINUE;
    }

    /**
     * Waits for the maintenance answer started at the beginning of the run. Unknown (Zabbix not
     * answering) follows the config's policy: proceed with a note, or refuse (UNREACHABLE).
     */
    static Verdict maintenance(RunContext ctx, Future<Boolean> answer) {
        VcrConfig.Zabbix z = ctx.config.zabbix();
        String host = ctx.runbook.zabbixHost();
        if (ctx.hostProof != null) {
            ctx.step("maintenance", Duration.ofSeconds(1), () -> Done.skipped("asked once for its KVM host"));
            return Verdict.CONTINUE;
        }
        if (answer == null) {
            ctx.step("maintenance", Duration.ofSeconds(1), () -> Done.skipped("no Zabbix API configured: not checked"));
            return Verdict.CONTINUE;
        }
        boolean[] inMaintenance = {false};
        StepResult r = ctx.step("maintenance", z.timeout(), () -> {
            try {
                inMaintenance[0] = answer.get();
                return inMaintenance[0]
                        ? Done.failed("host " + host + " is in maintenance")
                        : Done.ok("host " + host + " is not in maintenance");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        });
        if (r.ok()) return Verdict.CONTINUE;
        if (r.outcome() == Outcome.FAILED && inMaintenance[0]) {
            return Verdict.stop(ExitCode.IN_MAINTENANCE, "left alone: host " + host + " is in maintenance");
        }
        answer.cancel(true);
        if (z.maintenanceUnknown() == VcrConfig.MaintenanceUnknown.REFUSE) {
            return Verdict.stop(ExitCode.UNREACHABLE, "not recovered: cannot tell whether " + host
                    + " is in maintenance (Zabbix: " + r.detail() + "); maintenance-unknown is refuse");
        }
        ctx.notes.add("maintenance unknown (Zabbix: " + r.detail() + "): recovered anyway");
        return Verdict.CONTINUE;
    }
}
