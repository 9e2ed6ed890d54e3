package org.vcrecovery.vcr.recover;

import java.time.Instant;
import java.util.Objects;

/**
 * What one step of a recovery did: its name ({@code lock}, {@code maintenance}, {@code fence},
 * {@code start}, {@code check}, {@code dns}, {@code ack}, ...), its outcome, when it started, how
 * long it took and a one-line detail for humans (never a secret).
 */
public record StepResult(String name, Outcome outcome, Instant started, long millis, String detail) {

    /** How a step ended. */
    public enum Outcome {
        OK, SKIPPED, FAILED, TIMED_OUT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public StepResult {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(started, "started == null");
        Objects.requireNonNull(detail, "detail == null");
        if (millis < 0) throw new IllegalArgumentException("millis < 0: " + millis);
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }

    /** {@code fence ok 12 ms: destroyed web-vm}. */
    public String line() {
        return name + " " + outcome.label() + " " + millis + " ms" + (detail.isEmpty() ? "" : ": " + detail);
    }
}
