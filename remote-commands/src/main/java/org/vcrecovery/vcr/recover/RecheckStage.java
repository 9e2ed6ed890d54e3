package org.vcrecovery.vcr.recover;

import java.time.Duration;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * The chosen standby's checks once more, right after DNS was switched to it and verified: a
 * standby that dies between its check and the switch (a crash, an OOM kill, its host going) would
 * otherwise leave clients on a dead address under an OK report. The runbook's checks, retried
 * within the first check's timeout (bounded by the run's deadline); a standby that answers costs
 * one connection.
 *
 * <p>When they fail the run ends SERVICE_DOWN saying so, and DNS is not put back. The only
 * addresses it could go back to are the primary, which this run proved failed (and fenced), or,
 * in a re-run, a standby that failed its check moments earlier: a compare-and-swap back would
 * move clients from one dead address to another and hide where vcr left the record. A failed
 * run records no dedup entry, so the rerun (an operator's, or the action's next escalation step)
 * finds DNS on this standby, tries it first and, while it is down, switches by compare-and-swap
 * to the next standby that passes its checks.
 */
final class RecheckStage {
    private RecheckStage() {}

    static Verdict run(RunContext ctx) {
        if (ctx.runbook.checks().isEmpty()) return Verdict.CONTINUE;
        Runbook.Standby s = ctx.chosen;
        String at = ctx.chosenAddress;
        Duration window = ctx.runbook.checks().get(0).timeout();
        StepResult r = ctx.step("recheck", window, () -> {
            Probes.Verdict v = Probes.checkUntil(ctx.checker, ctx.runbook.checks(), at, s.port(), ctx.bounded(window));
            return v.up() ? Done.ok(s.name() + " " + v.detail()) : Done.failed(s.name() + " " + v.detail());
        });
        if (r.ok()) return Verdict.CONTINUE;
        return Verdict.stop(ExitCode.SERVICE_DOWN, "standby " + s.name() + " (" + at + ") stopped answering right after the"
                + " DNS switch (" + r.detail() + "); DNS left on it: rerun vcr recover to move it to the next standby");
    }
}
