package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.config.Durations;

/**
 * Runs the steps of one run: each body on a worker thread, bounded by the step's timeout and the
 * run's deadline, timed, every exception (and error) turned into a FAILED result, with progress
 * on stderr while a step is slow; {@link #begin} starts a step without waiting for it, so two
 * steps can run at once (the fence and the standby). Results are kept in the order the steps
 * started ({@link #steps}).
 *
 * <p>A step given up on (timed out, or its waiter interrupted) may still complete later on its
 * thread: then its {@code lateUndo} runs there, once the body has ended, whatever its outcome
 * (a lock taken late is released, a standby started late is stopped). Exactly one of the two
 * happens: the waiter gets the body's result, or the undo runs. {@link #whenSettled} defers
 * closing what late bodies still use (the backends) until the last of them has ended.
 *
 * <p>Thread-safe.
 */
final class StepRunner {
    /** A step's body: returns how it ended; an exception is a FAILED step with the exception's message. */
    interface Body {
        Done run() throws Exception;
    }

    private static final int RUNNING = 0, DONE = 1, ABANDONED = 2;

    private final String service;
    private final ExecutorService executor;
    private final PrintWriter err;
    private final Duration deadline;
    private final long deadlineNanos;
    private final List<StepResult> steps = Collections.synchronizedList(new ArrayList<>());
    /** Bodies given up on that have not ended yet. */
    private int late;
    private final List<Runnable> whenSettled = new ArrayList<>();

    /** @param deadline the whole run's budget, counted from now */
    StepRunner(String service, ExecutorService executor, PrintWriter err, Duration deadline) {
        this.service = service;
        this.executor = executor;
        this.err = err;
        this.deadline = deadline;
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
    }

    /** The results so far, in the order the steps started (a copy). */
    List<StepResult> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** {@code d}, shortened to what is left of the run's deadline. */
    Duration bounded(Duration d) {
        Duration left = remaining();
        return d.compareTo(left) < 0 ? d : left;
    }

    /** Runs one step within {@code timeout} (and the run's deadline), records and returns its result. */
    StepResult step(String name, Duration timeout, Body body) {
        return await(begin(name, timeout, true, body, null));
    }

    /** As {@link #step(String, Duration, Body)}; {@code lateUndo} runs if the body ends after the step was given up on. */
    StepResult step(String name, Duration timeout, Body body, Runnable lateUndo) {
        return await(begin(name, timeout, true, body, lateUndo));
    }

    /** A clean-up step (undoing our own change): runs even after the deadline, within its own timeout. */
    StepResult cleanupStep(String name, Duration timeout, Body body) {
        return await(begin(name, timeout, false, body, null));
    }

    /** Starts one step (bounded as {@link #step}) on a worker thread and returns at once: {@link #await} it exactly once. */
    Running begin(String name, Duration timeout, Body body) {
        return begin(name, timeout, true, body, null);
    }

    /** As {@link #begin(String, Duration, Body)}, with a {@code lateUndo} as for {@link #step(String, Duration, Body, Runnable)}. */
    Running begin(String name, Duration timeout, Body body, Runnable lateUndo) {
        return begin(name, timeout, true, body, lateUndo);
    }

    /** A step started by {@link #begin} and not yet recorded. */
    static final class Running {
        private final String name;
        private final Instant at = Instant.now();
        private final long t0 = System.nanoTime();
        private final Duration limit;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        /** Set by whoever comes first: the worker entering the body, or a give-up before it did. */
        private final AtomicBoolean entered = new AtomicBoolean();
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

    private Running begin(String name, Duration timeout, boolean bounded, Body body, Runnable lateUndo) {
        Duration limit = bounded ? bounded(timeout) : timeout;
        Running r = new Running(name, limit);
        if (limit.isZero()) {
            r.notStarted = new StepResult(name, Outcome.TIMED_OUT, r.at, 0,
                    "not started: the run's deadline of " + Durations.format(deadline) + " has passed");
            return r;
        }
        r.future = executor.submit(() -> {
            if (!r.entered.compareAndSet(false, true)) return Done.failed("given up before it started");
            try {
                Done d = body.run();
                r.done = d;
                return d;
            } finally {
                r.endNanos = System.nanoTime();
                if (!r.state.compareAndSet(RUNNING, DONE)) undoLate(r, lateUndo);
            }
        });
        return r;
    }

    /** Runs on the step's own thread once a body given up on has ended. */
    private void undoLate(Running r, Runnable lateUndo) {
        Thread.interrupted(); // the cancel's interrupt must not fail the undo
        try {
            if (lateUndo != null) lateUndo.run();
        } catch (RuntimeException e) {
            err.println("vcr: " + service + ": " + r.name + " completed after it was given up on and could not be undone: "
                    + oneLine(String.valueOf(e.getMessage())));
            err.flush();
        } finally {
            settle();
        }
    }

    /** One body given up on has ended (or will never start). */
    private void settle() {
        List<Runnable> run = List.of();
        synchronized (this) {
            if (--late == 0) {
                run = List.copyOf(whenSettled);
                whenSettled.clear();
            }
        }
        run.forEach(Runnable::run);
    }

    /** Runs {@code action} now when no body given up on is still running, else once the last one has ended. */
    void whenSettled(Runnable action) {
        synchronized (this) {
            if (late > 0) {
                whenSettled.add(action);
                return;
            }
        }
        action.run();
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

    /** Adds a step timed elsewhere at the end (the report, sent alongside the ack, shows after it). */
    void append(StepResult r) {
        steps.add(r);
    }

    private StepResult result(Running run) {
        Future<Done> f = run.future;
        long end = run.t0 + run.limit.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            try {
                Done d = f.get(Math.max(0, Math.min(left, 1_000_000_000L)), TimeUnit.NANOSECONDS);
                return new StepResult(run.name, d.outcome(), run.at, run.millis(), d.detail());
            } catch (TimeoutException e) {
                if (System.nanoTime() - end >= 0) {
                    if (!giveUp(run)) return ended(run);
                    return new StepResult(run.name, Outcome.TIMED_OUT, run.at, run.millis(),
                            "no result within " + Durations.format(run.limit));
                }
                err.println("vcr: " + service + ": " + run.name + " still running after " + run.millis() / 1000 + " s");
                err.flush();
            } catch (ExecutionException e) {
                return failed(run, e);
            } catch (InterruptedException e) {
                if (!giveUp(run)) {
                    StepResult r = ended(run);
                    Thread.currentThread().interrupt();
                    return r;
                }
                Thread.currentThread().interrupt();
                return new StepResult(run.name, Outcome.FAILED, run.at, run.millis(), "interrupted");
            }
        }
    }

    /** Gives the step up: true when its body was still running (its undo will run), false when it had just ended. */
    private boolean giveUp(Running run) {
        synchronized (this) {
            if (!run.state.compareAndSet(RUNNING, ABANDONED)) return false;
            late++;
        }
        boolean neverStarted = run.entered.compareAndSet(false, true);
        run.future.cancel(true);
        if (neverStarted) settle();
        return true;
    }

    /** The result of a body that has ended (its future completes at once). */
    private StepResult ended(Running run) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    Done d = run.future.get();
                    return new StepResult(run.name, d.outcome(), run.at, run.millis(), d.detail());
                } catch (ExecutionException e) {
                    return failed(run, e);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static StepResult failed(Running run, ExecutionException e) {
        Throwable c = org.vcrecovery.vcr.Failure.noted(e.getCause() == null ? e : e.getCause());
        String m = c.getMessage() == null ? c.toString() : c.getMessage();
        return new StepResult(run.name, Outcome.FAILED, run.at, run.millis(), oneLine(m));
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " / ").trim();
    }
}
