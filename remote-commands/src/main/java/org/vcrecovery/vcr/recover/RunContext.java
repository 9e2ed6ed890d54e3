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
import org.vcrecovery.vcr.recover.StepRunner.Body;
import org.vcrecovery.vcr.runbook.Durations;
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
    final StepRunner runner;
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
        this.runner = new StepRunner(runbook.service(), executor, err, runbook.limits().deadline());
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
        return runner.remaining();
    }

    /** {@code d}, shortened to what is left of the run's deadline. */
    Duration bounded(Duration d) {
        return runner.bounded(d);
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
        return runner.step(name, timeout, body);
    }

    /** As {@link #step}; {@code lateUndo} runs if the body ends after the step was given up on (see {@link StepRunner}). */
    StepResult step(String name, Duration timeout, Body body, Runnable lateUndo) {
        return runner.step(name, timeout, body, lateUndo);
    }

    /** A clean-up step (undoing our own change): runs even after the deadline, within its own timeout. */
    StepResult cleanupStep(String name, Duration timeout, Body body) {
        return runner.cleanupStep(name, timeout, body);
    }

    /** Starts one step and returns at once; {@link #await} it exactly once. */
    StepRunner.Running begin(String name, Duration timeout, Body body) {
        return runner.begin(name, timeout, body);
    }

    StepResult await(StepRunner.Running running) {
        return runner.await(running);
    }

    static String oneLine(String s) {
        return StepRunner.oneLine(s);
    }
}
