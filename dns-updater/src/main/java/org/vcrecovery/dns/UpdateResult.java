package org.vcrecovery.dns;

import java.time.Duration;
import java.util.Objects;

/**
 * What came of one {@link DnsUpdater#update}: an {@link Outcome}, a one-line readable message
 * (no secret), how many datagrams/connections it took, whether TCP was used, and how long it
 * took from the first send to the last reply.
 */
public record UpdateResult(DnsChange change, Outcome outcome, String message, int attempts, boolean tcp,
                           Duration elapsed) {
    public UpdateResult {
        Objects.requireNonNull(change, "change == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(elapsed, "elapsed == null");
    }

    /** The change is in the zone. */
    public boolean applied() {
        return outcome == Outcome.APPLIED;
    }
}
