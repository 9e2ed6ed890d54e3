package org.vcrecovery.vcr.recover;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.RunContext.Done;
import org.vcrecovery.vcr.recover.StepResult.Outcome;

/**
 * The guard steps after the lock: drop duplicate events, leave hosts in maintenance alone.
 * Neither changes anything.
 */
final class GuardStages {
    private GuardStages() {}

    static void dedup(RunContext ctx, DedupLog log) {
        Duration window = ctx.runbook.limits().dedupWindow() != null
                ? ctx.runbook.limits().dedupWindow() : ctx.config.dedupWindow();
        boolean[] duplicate = {false};
        StepResult r = ctx.step("dedup", Duration.ofSeconds(5), () -> {
            if (ctx.eventId == null) return Done.ok("no event id (run by hand): not deduplicated");
            Optional<String> dup = log.duplicate(ctx.eventId, window, Instant.now());
            duplicate[0] = dup.isPresent();
            return dup.map(Done::failed).orElseGet(() -> Done.ok("event " + ctx.eventId + " is new"));
        });
        if (r.outcome() == Outcome.FAILED && duplicate[0]) {
            ctx.finish(ExitCode.DUPLICATE, "duplicate event dropped (" + r.detail() + ")");
        } else if (!r.ok()) {
            ctx.notes.add("dedup check failed: " + r.detail());
        }
    }

    /**
     * Waits for the maintenance answer started at the beginning of the run. Unknown (Zabbix not
     * answering) follows the config's policy: proceed with a note, or refuse (UNREACHABLE).
     */
    static void maintenance(RunContext ctx, Future<Boolean> answer) {
        VcrConfig.Zabbix z = ctx.config.zabbix();
        String host = ctx.runbook.zabbixHost();
        if (answer == null) {
            ctx.step("maintenance", Duration.ofSeconds(1), () -> Done.skipped("no Zabbix API configured: not checked"));
            return;
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
        if (r.ok()) return;
        if (r.outcome() == Outcome.FAILED && inMaintenance[0]) {
            ctx.finish(ExitCode.IN_MAINTENANCE, "left alone: host " + host + " is in maintenance");
            return;
        }
        answer.cancel(true);
        if (z.maintenanceUnknown() == VcrConfig.MaintenanceUnknown.REFUSE) {
            ctx.finish(ExitCode.UNREACHABLE, "not recovered: cannot tell whether " + host
                    + " is in maintenance (Zabbix: " + r.detail() + "); maintenance-unknown is refuse");
        } else {
            ctx.notes.add("maintenance unknown (Zabbix: " + r.detail() + "): recovered anyway");
        }
    }
}
