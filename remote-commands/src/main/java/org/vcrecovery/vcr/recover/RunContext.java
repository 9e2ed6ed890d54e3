package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.runbook.Durations;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * The state of one recovery run shared by its stages: inputs, the ports, the steps so far, and
 * the outcome once a stage decides it. {@link #step} runs one step's body on a worker thread,
 * bounded by the step's timeout and the run's deadline, timing it and turning every exception
 * into a FAILED result, and prints progress to stderr while a step is slow.
 */
final class RunContext {
    /** A step's body: returns how it ended; an exception is a FAILED step with the exception's message. */
    interface Body {
        Done run() throws Exception;
    }

    /** How a step body ended. */
    record Done(Outcome outcome, String detail) {
        static Done ok(String detail) {
            return new Done(Outcome.OK, detail);
        }

        static Done failed(String detail) {
            return new Done(Outcome.FAILED, detail);
        }

        static Done skipped(String detail) {
            return new Done(Outcome.SKIPPED, detail);
        }
    }

    final Runbook runbook;
    final VcrConfig config;
    final String eventId;
    final String forcedStandby;
    final ZabbixPort zabbix;
    final DnsPort dns;
    final ServiceChecker checker;
    final StandbyBackends backends;
    final ExecutorService executor;
    final PrintWriter err;
    final Instant started = Instant.now();
    final long startNanos = System.nanoTime();
    final long deadlineNanos;
    final List<StepResult> steps = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    private final Map<String, StandbyBackend> openBackends = new LinkedHashMap<>();

    /** Set by the stage that decides the outcome; null while the run goes on. */
    ExitCode exit;
    String headline;
    /** The DNS record's values read before anything changed. */
    List<String> dnsBefore = List.of();
    Runbook.Standby chosen;
    String chosenAddress;

    RunContext(Runbook runbook, VcrConfig config, String eventId, String forcedStandby, ZabbixPort zabbix,
               DnsPort dns, ServiceChecker checker, StandbyBackends backends, ExecutorService executor,
               PrintWriter err) {
        this.runbook = runbook;
        this.config = config;
        this.eventId = eventId;
        this.forcedStandby = forcedStandby;
        this.zabbix = zabbix;
        this.dns = dns;
        this.checker = checker;
        this.backends = backends;
        this.executor = executor;
        this.err = err;
        this.deadlineNanos = startNanos + runbook.limits().deadline().toNanos();
    }

    void finish(ExitCode code, String headline) {
        this.exit = code;
        this.headline = headline;
    }

    boolean finished() {
        return exit != null;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** {@code d}, shortened to what is left of the run's deadline. */
    Duration bounded(Duration d) {
        Duration left = remaining();
        return d.compareTo(left) < 0 ? d : left;
    }

    /** The standby backend {@code name} with {@code options}, created once per run and closed by {@link #closeBackends}. */
    StandbyBackend backend(String name, Map<String, String> options) {
        String key = name + " " + new java.util.TreeMap<>(options);
        StandbyBackend b = openBackends.get(key);
        if (b == null) {
            b = backends.create(name, options);
            openBackends.put(key, b);
        }
        return b;
    }

    void closeBackends() {
        for (StandbyBackend b : openBackends.values()) b.close();
        openBackends.clear();
    }

    /** Runs one step within {@code timeout} (and the run's deadline), records and returns its result. */
    StepResult step(String name, Duration timeout, Body body) {
        return step(name, timeout, true, body);
    }

    /** A clean-up step (undoing our own change): runs even after the deadline, within its own timeout. */
    StepResult cleanupStep(String name, Duration timeout, Body body) {
        return step(name, timeout, false, body);
    }

    private StepResult step(String name, Duration timeout, boolean bounded, Body body) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        Duration limit = bounded ? bounded(timeout) : timeout;
        StepResult r;
        if (limit.isZero()) {
            r = new StepResult(name, Outcome.TIMED_OUT, at, 0,
                    "not started: the run's deadline of " + Durations.format(runbook.limits().deadline()) + " has passed");
        } else {
            r = await(name, at, t0, limit, executor.submit(body::run));
        }
        steps.add(r);
        return r;
    }

    private StepResult await(String name, Instant at, long t0, Duration limit, Future<Done> f) {
        long end = t0 + limit.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            try {
                Done d = f.get(Math.max(0, Math.min(left, 1_000_000_000L)), TimeUnit.NANOSECONDS);
                return new StepResult(name, d.outcome(), at, millisSince(t0), d.detail());
            } catch (TimeoutException e) {
                if (System.nanoTime() - end >= 0) {
                    f.cancel(true);
                    return new StepResult(name, Outcome.TIMED_OUT, at, millisSince(t0),
                            "no result within " + Durations.format(limit));
                }
                err.println("vcr: " + runbook.service() + ": " + name + " still running after "
                        + millisSince(t0) / 1000 + " s");
                err.flush();
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                String m = c.getMessage() == null ? c.toString() : c.getMessage();
                return new StepResult(name, Outcome.FAILED, at, millisSince(t0), oneLine(m));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                return new StepResult(name, Outcome.FAILED, at, millisSince(t0), "interrupted");
            }
        }
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " / ").trim();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
