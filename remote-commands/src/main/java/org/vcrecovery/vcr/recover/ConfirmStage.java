package org.vcrecovery.vcr.recover;

import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.recover.StepRunner.Done;
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
    record Pending(Future<Probes.Verdict> service, Future<StandbyState> state) {}

    /** Starts the service check and the domain state read on the run's threads; returns at once. */
    static Pending start(RunContext ctx) {
        Runbook.Primary p = ctx.runbook.primary();
        Future<StandbyState> state = p.domain() == null || p.backend() == null ? null
                : ctx.executor.submit(() -> FenceStage.primaryBackend(ctx, p).status(p.domain()));
        Future<Probes.Verdict> service = ctx.executor.submit(() -> answers(ctx, p.address()));
        return new Pending(service, state);
    }

    /** Every check of the runbook once, on the primary's address: up only when all pass. */
    private static Probes.Verdict answers(RunContext ctx, String address) {
        StringBuilder details = new StringBuilder();
        for (Runbook.Check c : ctx.runbook.checks()) {
            CheckResult r = ctx.checker.check(Probes.socket(address, c.port()), Protocol.parse(c.protocol()), c.timeout());
            if (details.length() > 0) details.append("; ");
            details.append(r.summary());
            if (!r.up()) return new Probes.Verdict(false, details.toString());
        }
        return new Probes.Verdict(true, details.toString());
    }

    /** Waits for the answers as the "confirm" step; ends the run PRIMARY_HEALTHY when the failure is not confirmed. */
    static Verdict await(RunContext ctx, Pending pending) {
        Runbook.Primary p = ctx.runbook.primary();
        boolean[] healthy = {false};
        String[] answered = {null};
        StepResult r = ctx.step("confirm", ctx.runbook.limits().fenceTimeout(), () -> {
            Probes.Verdict v = get(pending.service());
            if (!v.up()) return Done.ok("confirmed: the primary's service is silent (" + v.detail() + ")");
            answered[0] = v.detail();
            if (pending.state() == null) {
                healthy[0] = true;
                return Done.failed("the primary's service answers (" + v.detail() + ") and it has no domain to ask");
            }
            StandbyState s;
            try {
                s = get(pending.state());
            } catch (Exception e) {
                healthy[0] = true;
                return Done.failed("the primary's service answers (" + v.detail() + ") and libvirt cannot tell whether domain "
                        + p.domain() + " runs: " + (e.getMessage() == null ? e : e.getMessage()));
            }
            if (s == StandbyState.RUNNING || s == StandbyState.UNKNOWN) {
                healthy[0] = true;
                return Done.failed("domain " + p.domain() + " is " + s.name().toLowerCase(Locale.ROOT)
                        + " and its service answers (" + v.detail() + ")");
            }
            return Done.ok("confirmed: domain " + p.domain() + " is " + s.name().toLowerCase(Locale.ROOT));
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

    private static void cancel(Pending p) {
        p.service().cancel(true);
        if (p.state() != null) p.state().cancel(true);
    }

    private static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get(1, TimeUnit.DAYS); // bounded by the step's own timeout
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
