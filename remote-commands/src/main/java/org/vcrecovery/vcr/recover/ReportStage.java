package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * Sends the run's one-line summary to the trapper item {@value #ITEM_KEY} ("Last recovery
 * report", shown by the standby VM template's "Recent recoveries" widget) of the standby's
 * Zabbix host, through the trapper of {@code zabbix.trapper} in vcr.yaml.
 *
 * <p>Best effort and bounded: {@link #start} sends on a worker thread (in parallel with the
 * acknowledgement), {@link #finish} waits at most what is left of {@link #TIMEOUT} and records a
 * {@code report} step; a failure or timeout is a FAILED/TIMED_OUT step plus a note
 * "report not sent: ...", never a different exit code. Nothing is sent (and no step recorded)
 * when the trapper or the standby's {@code zabbix-host} is not configured, or when the guard
 * stopped the run (in progress elsewhere, duplicate, in maintenance).
 */
final class ReportStage {
    static final String ITEM_KEY = "vcr.recovery.report";
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** Sends one value to one trapper item; throws when it was not accepted. */
    interface Sender {
        void send(VcrConfig.Trapper trapper, String host, String key, String value, Duration timeout) throws IOException;
    }

    /** The real sender: zabbix-client's {@code ZabbixSender}, one connection, connect and read bounded by {@code timeout}. */
    static final Sender ZABBIX = (trapper, host, key, value, timeout) -> {
        var sender = org.vcrecovery.zabbix.sender.ZabbixSender.builder()
                .server(InetSocketAddress.createUnresolved(trapper.host(), trapper.port()))
                .connectTimeout(timeout).readTimeout(timeout).build();
        var r = sender.send(List.of(new org.vcrecovery.zabbix.sender.SenderValue(host, key, value)));
        if (r.processed() != 1) {
            throw new IOException("Zabbix did not accept it (" + r.info() + "): does host " + host
                    + " have the trapper item " + key + " (template vcrecovery Standby VM)?");
        }
    };

    /** A send under way. */
    record Pending(String host, VcrConfig.Trapper trapper, Instant at, long startNanos, Future<?> result) {}

    private ReportStage() {}

    /**
     * The Zabbix host to report to: {@code standby}'s {@code zabbix-host} when it has one, else
     * the first standby of the runbook that has one; null when none does.
     */
    static String host(Runbook rb, String standby) {
        if (standby != null) {
            String h = rb.standby(standby).map(Runbook.Standby::zabbixHost).orElse(null);
            if (h != null) return h;
        }
        return rb.standbys().stream().map(Runbook.Standby::zabbixHost).filter(h -> h != null).findFirst().orElse(null);
    }

    /** Whether a run that ended with {@code exit} got past its guard (null: still going). */
    static boolean pastGuard(ExitCode exit) {
        return exit != ExitCode.IN_PROGRESS && exit != ExitCode.DUPLICATE && exit != ExitCode.IN_MAINTENANCE;
    }

    static Pending start(RunContext ctx, String standby, Function<RunContext, RecoveryReport> draft) {
        return start(ctx, standby, draft, ZABBIX);
    }

    /** Starts sending the draft's summary line; null when there is nothing to send or nowhere to send it. */
    static Pending start(RunContext ctx, String standby, Function<RunContext, RecoveryReport> draft, Sender sender) {
        VcrConfig.Trapper trapper = ctx.config.zabbix() == null ? null : ctx.config.zabbix().trapper();
        String host = host(ctx.runbook, standby);
        if (trapper == null || host == null || !pastGuard(ctx.exit)) return null;
        String line = draft.apply(ctx).summary();
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        Future<?> f = ctx.executor.submit(() -> {
            sender.send(trapper, host, ITEM_KEY, line, TIMEOUT);
            return null;
        });
        return new Pending(host, trapper, at, t0, f);
    }

    /** Waits for the send (at most what is left of {@link #TIMEOUT}) and records the {@code report} step. */
    static void finish(RunContext ctx, Pending p) {
        if (p == null) return;
        String where = "Zabbix host " + p.host() + " item " + ITEM_KEY + " via " + p.trapper();
        Outcome outcome;
        String detail;
        try {
            long left = p.startNanos() + TIMEOUT.toNanos() - System.nanoTime();
            p.result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            outcome = Outcome.OK;
            detail = "sent to " + where;
        } catch (TimeoutException e) {
            p.result().cancel(true);
            outcome = Outcome.TIMED_OUT;
            detail = "no answer from " + p.trapper() + " within " + TIMEOUT.toMillis() + " ms";
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            outcome = Outcome.FAILED;
            detail = RunContext.oneLine(c.getMessage() == null ? c.toString() : c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.result().cancel(true);
            outcome = Outcome.FAILED;
            detail = "interrupted";
        }
        ctx.runner.append(new StepResult("report", outcome, p.at(), (System.nanoTime() - p.startNanos()) / 1_000_000, detail));
        if (outcome != Outcome.OK) ctx.notes.add("report not sent to " + where + ": " + detail);
    }
}
