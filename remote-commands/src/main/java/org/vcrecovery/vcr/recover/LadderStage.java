package org.vcrecovery.vcr.recover;

import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.Runbook.LadderAction;
import org.vcrecovery.vcr.runbook.Runbook.LadderStep;

/**
 * The recovery ladder before failover (seed 000's St1 → St2 → Nt): restart the service on the
 * primary through a Zabbix script, then reboot the primary VM, each followed by re-checking the
 * primary for the rung's {@code wait}. When the primary answers again the run ends there,
 * recovered in place (no fencing, no DNS change). A rung that cannot run is skipped.
 */
final class LadderStage {
    private LadderStage() {}

    /** Climbs the ladder (nothing without one): OK, recovered in place, once the primary answers; else go on to fail over. */
    static Verdict run(RunContext ctx) {
        Runbook rb = ctx.runbook;
        if (ctx.hostProof != null) return Verdict.CONTINUE; // its KVM host is dead: nothing to restart there
        for (LadderStep rung : rb.ladder()) {
            if (rung.action() == LadderAction.FAILOVER) return Verdict.CONTINUE;
            StepResult act = ctx.step(rung.action().yaml(), rb.limits().startTimeout(), () -> act(ctx, rung));
            if (!act.ok()) continue;
            StepResult check = ctx.step("check-primary", rung.waitFor().plusMillis(500), () -> {
                Probes.Verdict v = Probes.checkUntil(ctx.checker, rb.checks(), rb.primary().address(), 0,
                        ctx.bounded(rung.waitFor()));
                return v.up() ? Done.ok("primary " + v.detail())
                        : Done.failed("primary still down " + Durations.format(rung.waitFor()) + " after "
                                + rung.action().yaml() + ": " + v.detail());
            });
            if (check.ok()) {
                return Verdict.stop(ExitCode.OK, "recovered in place by " + rung.action().yaml()
                        + " (primary " + rb.primary().address() + " answers)");
            }
        }
        return Verdict.CONTINUE;
    }

    private static Done act(RunContext ctx, LadderStep rung) throws Exception {
        Runbook.Primary p = ctx.runbook.primary();
        if (rung.action() == LadderAction.RESTART_SERVICE) {
            if (ctx.zabbix == null) return Done.skipped("no Zabbix API configured");
            String out = ctx.zabbix.runScript(rung.script(), ctx.runbook.zabbixHost());
            return Done.ok("ran script '" + rung.script() + "' on " + ctx.runbook.zabbixHost()
                    + (out == null || out.isBlank() ? "" : ": " + RunContext.oneLine(out.length() > 200 ? out.substring(0, 200) + "..." : out)));
        }
        if (p.domain() == null) return Done.skipped("the primary is not a libvirt domain");
        FenceStage.primaryBackend(ctx, p).reboot(p.domain(), ctx.bounded(ctx.runbook.limits().startTimeout()));
        return Done.ok("rebooted domain " + p.domain());
    }
}
