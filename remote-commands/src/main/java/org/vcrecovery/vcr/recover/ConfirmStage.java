package org.vcrecovery.vcr.recover;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The failure is confirmed before anything is touched (defence in depth against a forged trap,
 * trapper value or event): the primary's service is checked once with the runbook's checks and
 * its libvirt asked for the domain's real state. Confirmed: the service is silent (whatever
 * libvirt says or whether it answers at all), or the domain is not running. Not confirmed: the
 * service answers and the domain runs, or the service answers and libvirt cannot tell (or there
 * is no domain to ask); then the run ends {@link ExitCode#PRIMARY_HEALTHY} before the ladder,
 * the fence, the standbys and DNS, and the ack says so.
 *
 * <p>Both questions start with the run ({@link #start}), alongside the other guards; the state
 * read opens the run's libvirt connection to the primary, which the fence then reuses. A
 * confirmation that cannot be had in time before the service answered is a note: the fence's
 * own proof still protects the primary.
 */
final class ConfirmStage {
    private ConfirmStage() {}

    /** The two questions under way; {@code state} is null when the primary is no libvirt domain. */
    record Pending(CompletableFuture<Probes.Verdict> service, CompletableFuture<StandbyState> state) {}

    /** Starts the service check and the domain state read on the run's threads; returns at once. */
    static Pending start(RunContext ctx) {
        Runbook.Primary p = ctx.runbook.primary();
        if (ctx.hostProof != null) return new Pending(CompletableFuture.completedFuture(null), null);
        CompletableFuture<StandbyState> state = p.domain() == null || p.backend() == null ? null
                : CompletableFuture.supplyAsync(() -> FenceStage.primaryBackend(ctx, p).status(p.domain()), ctx.executor);
        CompletableFuture<Probes.Verdict> service = CompletableFuture.supplyAsync(() -> answers(ctx, p.address()), ctx.executor);
        return new Pending(service, state);
    }

    /** Every check of the runbook once, on the primary's address: up only when all pass. */
    private static Probes.Verdict answers(RunContext ctx, String address) {
        StringBuilder details = new StringBuilder();
        for (Runbook.Check c : ctx.runbook.checks()) {
            CheckResult r = ctx.checker.check(Probes.socket(address, c.port()), c.protocol(), c.timeout());
            if (details.length() > 0) details.append("; ");
            details.append(r.summary());
            if (!r.up()) return new Probes.Verdict(false, details.toString());
        }
        return new Probes.Verdict(true, details.toString());
    }

    /**
     * Waits for the answers as the "confirm" step, deciding as soon as one is enough (a domain
     * that is not running, or a silent service, confirms at once); ends the run PRIMARY_HEALTHY
     * when the failure is not confirmed.
     */
    static Verdict await(RunContext ctx, Pending pending) {
        if (ctx.hostProof != null) {
            ctx.step("confirm", ctx.runbook.limits().fenceTimeout(), () -> Done.ok("confirmed with the KVM host: " + ctx.hostProof));
            return Verdict.CONTINUE;
        }
        boolean[] healthy = {false};
        String[] answered = {null};
        StepResult r = ctx.step("confirm", ctx.runbook.limits().fenceTimeout(), () -> {
            CompletableFuture<?> first = pending.state() == null ? pending.service()
                    : CompletableFuture.anyOf(pending.service(), pending.state());
            first.handle((v, e) -> null).get();
            Done d = decide(ctx, pending, healthy, answered, false);
            if (d != null) return d;
            CompletableFuture.allOf(pending.service(), pending.state()).handle((v, e) -> null).get();
            return decide(ctx, pending, healthy, answered, true);
        });
        if (r.ok()) return Verdict.CONTINUE;
        if (healthy[0] || answered[0] != null && r.outcome() == Outcome.TIMED_OUT) {
            cancel(pending);
            return Verdict.stop(ExitCode.PRIMARY_HEALTHY, "primary is healthy: event not confirmed ("
                    + (healthy[0] ? r.detail() : "its service answers (" + answered[0] + "), libvirt did not say in time")
                    + "); nothing touched");
        }
        ctx.notes.add("failure not confirmed (" + r.detail() + "): the fence decides");
        return Verdict.CONTINUE;
    }

    /** The decision from the answers in so far; null while it needs the other one ({@code both}: all are in). */
    private static Done decide(RunContext ctx, Pending pending, boolean[] healthy, String[] answered, boolean both)
            throws Exception {
        Runbook.Primary p = ctx.runbook.primary();
        CompletableFuture<StandbyState> state = pending.state();
        StandbyState s = null;
        String unknown = null;
        if (state != null && state.isDone()) {
            try {
                s = get(state);
            } catch (Exception e) {
                unknown = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            if (s != null && s != StandbyState.RUNNING && s != StandbyState.UNKNOWN) {
                return Done.ok("confirmed: domain " + p.domain() + " is " + s.name().toLowerCase(Locale.ROOT));
            }
        }
        if (!pending.service().isDone()) return null;
        Probes.Verdict v = get(pending.service());
        if (!v.up()) return Done.ok("confirmed: the primary's service is silent (" + v.detail() + ")");
        answered[0] = v.detail();
        if (state == null) {
            healthy[0] = true;
            return Done.failed("the primary's service answers (" + v.detail() + ") and it has no domain to ask");
        }
        if (!state.isDone() && !both) return null;
        healthy[0] = true;
        if (s == null) {
            return Done.failed("the primary's service answers (" + v.detail() + ") and libvirt cannot tell whether domain "
                    + p.domain() + " runs: " + unknown);
        }
        return Done.failed("domain " + p.domain() + " is " + s.name().toLowerCase(Locale.ROOT)
                + " and its service answers (" + v.detail() + ")");
    }

    private static void cancel(Pending p) {
        p.service().cancel(true);
        if (p.state() != null) p.state().cancel(true);
    }

    /** The answer of a finished future, its own exception thrown. */
    private static <T> T get(CompletableFuture<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                    ? ce.getCause() : e.getCause();
            throw c instanceof Exception ex ? ex : e;
        }
    }
}
