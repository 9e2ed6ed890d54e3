package org.vcrecovery.vcr.rebalance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.recover.StepResult.Outcome;

/**
 * The timed steps of one move, in the form {@code vcr recover} reports them ({@link StepResult}):
 * each step's body returns its detail, or throws ({@link Failed} with a detail, anything else with
 * its message): the step is then FAILED and {@link #run} returns null. Bodies that time out are
 * the backends' and ports' own timeouts (each is given one): nothing here waits on a thread.
 */
final class Steps {
    /** A step's failure with the detail to report. */
    static final class Failed extends Exception {
        Failed(String detail) {
            super(detail, null, false, false);
        }
    }

    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    private final List<StepResult> done = new ArrayList<>();

    /** Runs {@code body} as step {@code name}; its detail, or null when it failed (the step then records why). */
    String run(String name, Body body) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        try {
            String detail = body.run();
            done.add(new StepResult(name, Outcome.OK, at, millis(t0), detail == null ? "" : oneLine(detail)));
            return detail == null ? "" : detail;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.add(new StepResult(name, Outcome.FAILED, at, millis(t0), "interrupted"));
            return null;
        } catch (Exception e) {
            String why = e instanceof Failed ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            done.add(new StepResult(name, Outcome.FAILED, at, millis(t0), oneLine(why)));
            return null;
        }
    }

    /** Records a step that was not needed. */
    void skipped(String name, String why) {
        done.add(new StepResult(name, Outcome.SKIPPED, Instant.now(), 0, why));
    }

    /** The detail of the last step (why it failed, when it did). */
    String lastDetail() {
        return done.isEmpty() ? "" : done.get(done.size() - 1).detail();
    }

    List<StepResult> list() {
        return List.copyOf(done);
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String oneLine(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return one.length() > 400 ? one.substring(0, 397) + "..." : one;
    }
}
