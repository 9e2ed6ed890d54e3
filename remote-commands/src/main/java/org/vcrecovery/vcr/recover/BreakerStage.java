package org.vcrecovery.vcr.recover;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.breaker.Approvals;
import org.vcrecovery.vcr.breaker.FailureWindow;
import org.vcrecovery.vcr.breaker.KillSwitch;

/**
 * The guard stage that stops automatic failovers in a storm, after the failure was confirmed and
 * before anything is fenced or started: the kill switch ({@link KillSwitch}: the state dir's
 * {@code disabled} file, or the Zabbix global macro asked at the start of the run in parallel
 * with the other guards) and the circuit breaker ({@link FailureWindow}). A held run ends
 * {@link ExitCode#HELD} with nothing touched; its ack says why and how to approve. Runs by hand
 * (no event id) are never held nor counted; an operator's approval ({@link Approvals}) lets a
 * held service through (it is still counted). When the breaker cannot count (state dir
 * unusable) the run is held: in a storm, not counting would let every failover through.
 */
final class BreakerStage {
    private BreakerStage() {}

    /** The macro to ask for with the run's other questions ({@link ZabbixPort#ask}), or null (no API, or a run by hand). */
    static String macro(RunContext run) {
        return run.zabbix == null || run.eventId == null ? null : KillSwitch.MACRO;
    }

    static Verdict run(RunContext ctx, Future<String> macro) {
        String service = ctx.runbook.service();
        if (ctx.hostProof != null) {
            ctx.step("breaker", Duration.ofSeconds(1), () -> Done.skipped("counted once for its KVM host"));
            return Verdict.CONTINUE;
        }
        if (ctx.eventId == null) {
            ctx.step("breaker", Duration.ofSeconds(1), () -> Done.skipped("run by hand: not subject to the breaker"));
            return Verdict.CONTINUE;
        }
        String approve = "approve from the host menu or with `vcr approve --service " + service + "`";
        String[] held = {null};
        StepResult r = ctx.step("breaker", Duration.ofSeconds(5), () -> {
            boolean approved = new Approvals(ctx.config.stateDir()).take(service, ctx.runbook.zabbixHost(), DedupLog.Now.system());
            Optional<String> off = KillSwitch.byFile(ctx.config.stateDir()).or(() -> KillSwitch.byMacro(macroValue(ctx, macro)));
            if (off.isPresent() && !approved) {
                held[0] = "held: " + off.get() + "; run by hand or " + approve;
                return Done.failed(off.get());
            }
            FailureWindow.Decision d = new FailureWindow(ctx.config.stateDir()).admit(service, ctx.eventId, approved,
                    ctx.config.breaker(), DedupLog.Now.system());
            String count = d.failures() + " failure" + (d.failures() == 1 ? "" : "s") + " in " + d.window().toSeconds() + " s";
            if (!d.admitted()) {
                held[0] = "held: " + count + " looks like a partition or a monitoring fault; " + approve;
                return Done.failed(count + ", limit " + ctx.config.breaker().limit());
            }
            return Done.ok(count + (approved ? " (approved by an operator)" : ", limit " + ctx.config.breaker().limit()));
        });
        if (r.ok()) return Verdict.CONTINUE;
        if (held[0] != null) return Verdict.stop(ExitCode.HELD, held[0]);
        return Verdict.stop(ExitCode.HELD, "held: the circuit breaker cannot count failures (" + r.detail() + "); " + approve);
    }

    /** The macro's value, or null when not asked, not defined or not answered (then a note: the file still counts). */
    private static String macroValue(RunContext ctx, Future<String> macro) {
        if (macro == null) return null;
        try {
            long wait = ctx.config.zabbix() == null ? 5000 : ctx.config.zabbix().timeout().toMillis();
            return macro.get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            macro.cancel(true);
            Throwable c = e instanceof ExecutionException ? e.getCause() : e;
            ctx.notes.add("kill switch macro " + KillSwitch.MACRO + " unknown (Zabbix: " + c.getMessage() + "): treated as on");
            return null;
        }
    }
}
