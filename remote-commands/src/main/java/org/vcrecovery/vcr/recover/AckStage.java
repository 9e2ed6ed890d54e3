package org.vcrecovery.vcr.recover;

import java.util.function.Function;
import org.vcrecovery.vcr.ExitCode;

/**
 * Acknowledges the Zabbix event with the report's message (every step, outcome and duration,
 * within Zabbix's length limit). A recovered service's event is marked acknowledged; any other
 * outcome only adds the message, so the problem still waits for a human. A failed
 * acknowledgement never changes the exit code: the report gets a note "ack failed: ...".
 * Skipped for runs that did nothing of their own (in progress elsewhere, duplicate).
 */
final class AckStage {
    private AckStage() {}

    static void run(RunContext ctx, Function<RunContext, RecoveryReport> draft) {
        if (ctx.eventId == null) return;
        if (ctx.exit == ExitCode.IN_PROGRESS || ctx.exit == ExitCode.DUPLICATE) return;
        if (ctx.zabbix == null) {
            ctx.step("ack", java.time.Duration.ofSeconds(1), () -> Done.skipped("no Zabbix API configured"));
            ctx.notes.add("event " + ctx.eventId + " not acknowledged: no Zabbix API in the config");
            return;
        }
        String message = draft.apply(ctx).ackMessage();
        boolean recovered = ctx.exit == ExitCode.OK;
        StepResult r = ctx.cleanupStep("ack", ctx.runbook.limits().ackTimeout(), () -> {
            ctx.zabbix.acknowledge(ctx.eventId, message, recovered);
            return Done.ok("event " + ctx.eventId + (recovered ? " acknowledged" : " annotated (left unacknowledged)"));
        });
        if (!r.ok()) {
            ctx.ackFailed = true;
            ctx.notes.add("ack failed: " + r.detail());
        }
    }
}
