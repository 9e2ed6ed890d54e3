package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * The state of one recovery run shared by its stages: inputs, the ports, the steps so far, and
 * the outcome once a stage decides it. {@link #step} runs one step's body on a worker thread,
 * bounded by the step's timeout and the run's deadline, timing it and turning every exception
 * into a FAILED result, and prints progress to stderr while a step is slow. {@link #begin} starts
 * a step without waiting for it, so two steps can run at once (the fence and the standby).
 *
 * <p>Thread-safety: the steps and notes lists, the outcome ({@link #finish}) and the backend
 * cache may be used from any thread; steps are kept in the order they started. The other
 * mutable fields ({@link #dnsBefore}, {@link #chosen}, {@link #chosenAddress}) belong to the
 * thread running the pipeline (or are handed over through a step's future).
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
    /** In the order the steps started; synchronized (hold its lock to iterate while steps may run). */
    final List<StepResult> steps = Collections.synchronizedList(new ArrayList<>());
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, StandbyBackend> openBackends = new LinkedHashMap<>();
    private boolean backendsClosed;

    /** Set by the stage that decides the outcome; null while the run goes on. */
    volatile ExitCode exit;
    volatile String headline;
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

    synchronized void finish(ExitCode code, String headline) {
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

    /**
     * The standby backend {@code name} with {@code options}, created once per run and closed by
     * {@link #closeBackends}; IllegalStateException after that (a late background task).
     */
    synchronized StandbyBackend backend(String name, Map<String, String> options) {
        if (backendsClosed) throw new IllegalStateException("the run is over: no new backend");
        String key = name + " " + new java.util.TreeMap<>(options);
        StandbyBackend b = openBackends.get(key);
        if (b == null) {
            b = backends.create(name, options);
            openBackends.put(key, b);
        }
        return b;
    }

    synchronized void closeBackends() {
        backendsClosed = true;
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
        return await(begin(name, timeout, bounded, body));
    }

    /** A step started by {@link #begin} and not yet recorded: {@link #await} it exactly once. */
    static final class Running {
        private final String name;
        private final Instant at = Instant.now();
        private final long t0 = System.nanoTime();
        private final Duration limit;
        private volatile long endNanos;
        private volatile Done done;
        private Future<Done> future;
        private StepResult notStarted;

        private Running(String name, Duration limit) {
            this.name = name;
            this.limit = limit;
        }

        /** True once the body has ended with anything but OK (an exception counts); false while it runs. */
        boolean failed() {
            if (notStarted != null) return true;
            if (!future.isDone()) return false;
            Done d = done;
            return d == null || d.outcome() != Outcome.OK;
        }

        private long millis() {
            long end = endNanos;
            return ((end != 0 ? end : System.nanoTime()) - t0) / 1_000_000;
        }
    }

    /**
     * Starts one step within {@code timeout} (and the run's deadline) on a worker thread and
     * returns at once; its duration is taken when its body ends, whenever it is awaited.
     */
    Running begin(String name, Duration timeout, Body body) {
        return begin(name, timeout, true, body);
    }

    private Running begin(String name, Duration timeout, boolean bounded, Body body) {
        Duration limit = bounded ? bounded(timeout) : timeout;
        Running r = new Running(name, limit);
        if (limit.isZero()) {
            r.notStarted = new StepResult(name, Outcome.TIMED_OUT, r.at, 0,
                    "not started: the run's deadline of " + Durations.format(runbook.limits().deadline()) + " has passed");
            return r;
        }
        r.future = executor.submit(() -> {
            try {
                Done d = body.run();
                r.done = d;
                return d;
            } finally {
                r.endNanos = System.nanoTime();
            }
        });
        return r;
    }

    /** Waits for a step {@link #begin} started (to its limit), records and returns its result. */
    StepResult await(Running running) {
        StepResult r = running.notStarted != null ? running.notStarted : result(running);
        record(r);
        return r;
    }

    /** Adds a finished step after every step that started no later than it did. */
    private void record(StepResult r) {
        synchronized (steps) {
            int i = steps.size();
            while (i > 0 && steps.get(i - 1).started().isAfter(r.started())) i--;
            steps.add(i, r);
        }
    }

    private StepResult result(Running run) {
        String name = run.name;
        Instant at = run.at;
        Future<Done> f = run.future;
        long end = run.t0 + run.limit.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            try {
                Done d = f.get(Math.max(0, Math.min(left, 1_000_000_000L)), TimeUnit.NANOSECONDS);
                return new StepResult(name, d.outcome(), at, run.millis(), d.detail());
            } catch (TimeoutException e) {
                if (System.nanoTime() - end >= 0) {
                    f.cancel(true);
                    return new StepResult(name, Outcome.TIMED_OUT, at, run.millis(),
                            "no result within " + Durations.format(run.limit));
                }
                err.println("vcr: " + runbook.service() + ": " + name + " still running after "
                        + run.millis() / 1000 + " s");
                err.flush();
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                String m = c.getMessage() == null ? c.toString() : c.getMessage();
                return new StepResult(name, Outcome.FAILED, at, run.millis(), oneLine(m));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                return new StepResult(name, Outcome.FAILED, at, run.millis(), "interrupted");
            }
        }
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " / ").trim();
    }
}
