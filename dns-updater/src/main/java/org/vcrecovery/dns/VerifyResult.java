package org.vcrecovery.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DnsUpdater#verify} saw: whether the authoritative server answered the change's
 * values before the deadline, the values in the last answer, the number of queries, the time
 * taken and, when it did not match, why (last values seen or the last query error).
 */
public record VerifyResult(boolean matched, List<String> lastSeen, int queries, Duration elapsed, String message) {
    public VerifyResult {
        lastSeen = List.copyOf(Objects.requireNonNull(lastSeen, "lastSeen == null"));
        Objects.requireNonNull(elapsed, "elapsed == null");
        Objects.requireNonNull(message, "message == null");
    }
}
