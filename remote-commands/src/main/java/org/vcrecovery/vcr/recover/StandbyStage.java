package org.vcrecovery.vcr.recover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.Runbook.Standby;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * Brings up the first standby that passes its checks. A warm container is only checked; the
 * others are started (or resumed) first, then checked until {@code check-timeout}. A standby that
 * fails is put back the way it was if we changed it (stopped, or suspended again) and the next
 * is tried. The standby DNS already points at (a re-run) is tried first; {@code --standby} forces
 * one. When none passes: SERVICE_DOWN, DNS untouched.
 *
 * <p>Runs while the fence runs (see {@link FenceStage}): it stops trying once the fence has
 * failed for good, and {@link #putBack(RunContext, Up)} undoes the standby it brought up when
 * the fence fails after all.
 */
final class StandbyStage {
    private StandbyStage() {}

    /**
     * A standby that passed its checks; {@code before} is its state before we started it, null
     * when we did not change it (warm, or already running).
     */
    record Up(Standby standby, String address, StandbyBackend backend, StandbyState before) {}

    /**
     * Tries the standbys in order until one passes (returned) or {@code giveUp} says to stop;
     * null when none passed, with each failure added to {@code failures}. Sets no outcome.
     */
    static Up bringUp(RunContext ctx, BooleanSupplier giveUp, List<String> failures) {
        for (Standby s : order(ctx)) {
            if (giveUp.getAsBoolean()) break;
            Up up = bringUp(ctx, s, failures);
            if (up != null) return up;
            if (ctx.remaining().isZero()) break;
        }
        return null;
    }

    /** The standby is the one: DNS may point at it. */
    static void choose(RunContext ctx, Up up) {
        ctx.chosen = up.standby();
        ctx.chosenAddress = up.address();
    }

    /** No standby passed: SERVICE_DOWN. */
    static Verdict none(List<String> failures) {
        return Verdict.stop(ExitCode.SERVICE_DOWN, "not recovered: no standby passed its checks ("
                + String.join("; ", failures) + "); DNS left alone");
    }

    /** Undoes what we did to a standby that passed but must not serve (the fence failed). */
    static void putBack(RunContext ctx, Up up) {
        if (up.before() != null) putBack(ctx, up.standby(), up.backend(), up.before(), "the primary was not fenced");
    }

    static List<Standby> order(RunContext ctx) {
        if (ctx.forcedStandby != null) return List.of(ctx.runbook.standby(ctx.forcedStandby).orElseThrow());
        List<Standby> out = new ArrayList<>();
        for (Standby s : ctx.runbook.standbys()) {
            if (ctx.owner != null && ctx.owner.is(s)) out.add(0, s);
            else out.add(s);
        }
        return out;
    }

    /** The standby once it passed, or null (with the reason added to failures). */
    private static Up bringUp(RunContext ctx, Standby s, List<String> failures) {
        Runbook.Limits limits = ctx.runbook.limits();
        StandbyBackend[] backend = {null};
        StandbyState[] before = {null};
        String[] address = {s.address()};
        if (!s.kind().warm() || address[0] == null) {
            StepResult r = ctx.step(s.kind().warm() ? "address" : startName(s), limits.startTimeout(), () -> {
                backend[0] = ctx.backend(s.backend(), s.options());
                if (address[0] == null) {
                    Optional<String> a = backend[0].address(s.target());
                    if (a.isEmpty()) return Done.failed(s.name() + ": no address in the runbook and " + s.backend() + " reports none");
                    address[0] = a.get();
                }
                if (s.kind().warm()) return Done.ok(s.name() + " at " + address[0] + " (from " + s.backend() + ")");
                StandbyState st = backend[0].status(s.target());
                if (st == StandbyState.RUNNING) return Done.ok(s.name() + " already running");
                if (st == StandbyState.ABSENT) return Done.failed(s.name() + ": " + s.backend() + " has no " + s.target());
                before[0] = st;
                backend[0].start(s.target(), ctx.bounded(limits.startTimeout()));
                return Done.ok((st == StandbyState.PAUSED ? "resumed " : "started ") + s.name() + " (" + s.backend() + " " + s.target() + ")");
            }, () -> {
                // The start was given up on but went on: whatever it brought up must not stay up.
                if (before[0] != null) putBackLate(ctx, s, backend[0], before[0]);
            });
            if (!r.ok()) {
                failures.add(s.name() + ": " + r.detail());
                // Timed out: the body may still be starting it; the late undo puts it back once it ends.
                if (r.outcome() != StepResult.Outcome.TIMED_OUT && before[0] != null) {
                    putBack(ctx, s, backend[0], before[0], "it failed its check");
                }
                return null;
            }
        }
        String at = address[0];
        StepResult c = ctx.step("check", limits.checkTimeout(), () -> {
            Probes.Verdict v = Probes.checkUntil(ctx.checker, ctx.runbook.checks(), at, s.port(), ctx.bounded(limits.checkTimeout()));
            return v.up() ? Done.ok(s.name() + " " + v.detail()) : Done.failed(s.name() + " " + v.detail());
        });
        if (c.ok()) return new Up(s, at, backend[0], before[0]);
        failures.add(c.detail());
        if (before[0] != null) putBack(ctx, s, backend[0], before[0], "it failed its check");
        return null;
    }

    private static String startName(Standby s) {
        return s.kind() == Runbook.StandbyKind.SUSPENDED_VM ? "resume" : "start";
    }

    /** Undoes a start that completed after its step timed out (on the step's thread, maybe after the run ended). */
    private static void putBackLate(RunContext ctx, Standby s, StandbyBackend b, StandbyState before) {
        Duration t = ctx.runbook.limits().startTimeout();
        if (before == StandbyState.PAUSED && b.capabilities().contains(StandbyBackend.Capability.SUSPEND)) {
            b.suspend(s.target(), t);
        } else {
            b.stop(s.target(), t);
        }
        ctx.err.println("vcr: " + ctx.runbook.service() + ": " + s.name() + " came up after its start timed out: "
                + (before == StandbyState.PAUSED ? "suspended" : "stopped") + " it again");
        ctx.err.flush();
    }

    /** Undoes our start: suspend again what was paused, stop what was stopped. */
    private static void putBack(RunContext ctx, Standby s, StandbyBackend b, StandbyState before, String why) {
        ctx.cleanupStep("stop", ctx.runbook.limits().startTimeout(), () -> {
            if (before == StandbyState.PAUSED && b.capabilities().contains(StandbyBackend.Capability.SUSPEND)) {
                b.suspend(s.target(), ctx.runbook.limits().startTimeout());
                return Done.ok("suspended " + s.name() + " again (" + why + ")");
            }
            b.stop(s.target(), ctx.runbook.limits().startTimeout());
            return Done.ok("stopped " + s.name() + " again (we started it; " + why + ")");
        });
    }
}
