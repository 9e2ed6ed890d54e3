package org.vcrecovery.dns;

import java.io.IOException;
import java.util.Objects;

/**
 * A query that did not produce an answer: the server could not be reached or replied with an
 * error. {@link #outcome()} classifies it (TIMEOUT, UNREACHABLE, REFUSED, BADSIG, ...); the
 * message is one readable line without secrets.
 */
public class DnsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Outcome outcome;

    public DnsException(Outcome outcome, String message) {
        super(message);
        this.outcome = Objects.requireNonNull(outcome, "outcome == null");
    }

    public DnsException(Outcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = Objects.requireNonNull(outcome, "outcome == null");
    }

    public Outcome outcome() {
        return outcome;
    }
}
