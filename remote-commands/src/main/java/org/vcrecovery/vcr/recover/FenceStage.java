package org.vcrecovery.vcr.recover;

import java.util.Map;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.Runbook.FencingMode;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The split-brain rule: before DNS moves, the failed primary is destroyed or suspended through
 * libvirt, or proven dead (its domain not running and its service ports silent). When the
 * libvirt action fails, proof of death is tried instead. When neither can be established the
 * run stops with FENCING_FAILED and DNS is left alone, unless the runbook says
 * {@code allow-unfenced: true} (then the run goes on and the report says UNFENCED).
 *
 * <p>The fence runs while the standby is brought up ({@link #start}, then {@link #finish} before
 * DNS): the rule is that DNS does not move before the primary is fenced, not that the standby
 * waits. A domain libvirt reports shut off (or crashed) is dead already: it is not destroyed or
 * suspended again, and its ports are not probed.
 */
final class FenceStage {
    private FenceStage() {}

    /** Starts the fence step and returns at once. */
    static StepRunner.Running start(RunContext ctx) {
        Runbook.Primary p = ctx.runbook.primary();
        if (ctx.hostProof != null) return ctx.begin("fence", ctx.runbook.limits().fenceTimeout(), () -> Done.ok(ctx.hostProof));
        return ctx.begin("fence", ctx.runbook.limits().fenceTimeout(), () -> fence(ctx, p, ctx.runbook.fencing().mode()));
    }

    /**
     * True once the fence has failed and the runbook does not allow switching unfenced: nothing
     * this run brings up may stay up, so there is no point trying more standbys.
     */
    static boolean failedForGood(RunContext ctx, StepRunner.Running fence) {
        return !ctx.runbook.fencing().allowUnfenced() && fence.failed();
    }

    /** Waits for the fence step: FENCING_FAILED (or the UNFENCED note) when it did not succeed. */
    static Verdict finish(RunContext ctx, StepRunner.Running fence) {
        StepResult r = ctx.await(fence);
        if (r.ok()) return Verdict.CONTINUE;
        if (!ctx.runbook.fencing().allowUnfenced()) {
            return Verdict.stop(ExitCode.FENCING_FAILED, "not recovered: the primary could not be fenced or proven dead ("
                    + r.detail() + "); DNS left alone");
        }
        ctx.notes.add("UNFENCED: the primary was neither fenced nor proven dead (" + r.detail()
                + "); switched anyway because allow-unfenced is true");
        return Verdict.CONTINUE;
    }

    static StandbyBackend primaryBackend(RunContext ctx, Runbook.Primary p) {
        return ctx.backend(p.backend(), Map.of("uri", p.uri()));
    }

    private static Done fence(RunContext ctx, Runbook.Primary p, FencingMode mode) {
        String why = null;
        if (p.domain() != null && mode != FencingMode.VERIFY_DEAD) {
            try {
                StandbyBackend b = primaryBackend(ctx, p);
                StandbyState s = b.status(p.domain());
                if (s == StandbyState.STOPPED) {
                    return Done.ok("domain " + p.domain() + " already shut off: nothing to " + mode.yaml());
                }
                if (mode == FencingMode.DESTROY) {
                    b.stop(p.domain(), ctx.bounded(ctx.runbook.limits().fenceTimeout()));
                    return Done.ok("destroyed domain " + p.domain());
                }
                b.suspend(p.domain(), ctx.bounded(ctx.runbook.limits().fenceTimeout()));
                return Done.ok("suspended domain " + p.domain());
            } catch (StandbyException e) {
                why = mode.yaml() + " failed: " + e.getMessage();
            } catch (UnsupportedOperationException e) {
                why = mode.yaml() + " not supported: " + e.getMessage();
            }
        }
        Done proof = proveDead(ctx, p);
        if (why == null) return proof;
        return new Done(proof.outcome(), why + "; " + proof.detail());
    }

    private static Done proveDead(RunContext ctx, Runbook.Primary p) {
        String state;
        if (p.domain() == null) {
            state = "no domain to ask (proof by port only)";
        } else {
            StandbyState s;
            try {
                s = primaryBackend(ctx, p).status(p.domain());
            } catch (StandbyException e) {
                return Done.failed("cannot tell whether domain " + p.domain() + " runs: " + e.getMessage());
            }
            if (s == StandbyState.RUNNING || s == StandbyState.UNKNOWN) {
                return Done.failed("domain " + p.domain() + " is " + s.name().toLowerCase());
            }
            state = "domain " + p.domain() + " is " + s.name().toLowerCase();
        }
        Probes.Verdict v = Probes.silent(ctx.checker, ctx.runbook.checks(), p.address());
        if (!v.up()) return Done.failed(state + " but " + v.detail());
        return Done.ok("proven dead: " + state + ", ports silent (" + v.detail() + ")");
    }
}
