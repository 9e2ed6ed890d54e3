package org.vcrecovery.vcr.hostdown;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.recover.StepResult.Outcome;

/**
 * The host run's own steps (lock, dedup, event, maintenance, proof, breaker, recover, ack), timed
 * and recorded like a recovery's, so the host's report reads like one. A body's exception is a
 * FAILED step with its message. Thread-safe.
 */
final class HostSteps {
    /** What a body decided: its outcome and one line for humans. */
    record Done(Outcome outcome, String detail) {
        static Done ok(String d) {
            return new Done(Outcome.OK, d);
        }

        static Done failed(String d) {
            return new Done(Outcome.FAILED, d);
        }

        static Done skipped(String d) {
            return new Done(Outcome.SKIPPED, d);
        }
    }

    private final List<StepResult> steps = Collections.synchronizedList(new ArrayList<>());

    StepResult step(String name, Callable<Done> body) {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        Done d;
        try {
            d = body.call();
        } catch (Exception e) {
            d = Done.failed(e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " "));
        }
        StepResult r = new StepResult(name, d.outcome(), at, (System.nanoTime() - t0) / 1_000_000, d.detail());
        steps.add(r);
        return r;
    }

    List<StepResult> all() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }
}
