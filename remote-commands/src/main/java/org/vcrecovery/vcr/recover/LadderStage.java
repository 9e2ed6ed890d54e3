package org.vcrecovery.vcr.recover;

import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.ladder.LadderAction;
import org.vcrecovery.vcr.ladder.LadderStep;

/**
 * The recovery ladder before failover (seed 000's St1 → St2 → Nt): restart the service on the
 * primary through a Zabbix script, then reboot the primary VM, each followed by re-checking the
 * primary for the rung's {@code wait}. When the primary answers again the run ends there,
 * recovered in place (no fencing, no DNS change). A rung that cannot run is skipped. What each
 * rung does is its {@link LadderAction}'s; this stage only climbs, times and re-checks.
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
        LadderAction.Result r = LadderAction.act(rung, new LadderAction.Primary() {
            final Runbook.Primary p = ctx.runbook.primary();

            @Override
            public String zabbixHost() {
                return ctx.runbook.zabbixHost();
            }

            @Override
            public String domain() {
                return p.domain();
            }

            @Override
            public boolean hasZabbix() {
                return ctx.zabbix != null;
            }

            @Override
            public String runScript(String script) throws Exception {
                String out = ctx.zabbix.runScript(script, ctx.runbook.zabbixHost());
                return out == null ? null : RunContext.oneLine(out);
            }

            @Override
            public void reboot() throws Exception {
                FenceStage.primaryBackend(ctx, p).reboot(p.domain(), ctx.bounded(ctx.runbook.limits().startTimeout()));
            }
        });
        return r.ran() ? Done.ok(r.detail()) : Done.skipped(r.detail());
    }
}
