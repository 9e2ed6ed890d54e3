package org.vcrecovery.dns;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.xbill.DNS.TSIGRecord;

/** The readable sentences for failures that need more than the outcome's description. */
final class Explain {
    private Explain() {}

    /** Why a prerequisite failed, given what the record holds {@code now}. */
    static String conflict(DnsChange change, List<String> now) {
        String what = change.name() + " " + change.type();
        String current = now.isEmpty() ? "absent" : String.join(", ", now);
        return switch (change.precondition().kind()) {
            case EXPECT_VALUES -> what + " is " + current + ", not " + String.join(", ", change.precondition().values())
                    + " as expected: someone else changed it; nothing changed";
            case EXPECT_ABSENT -> now.isEmpty()
                    ? what + " is absent, but a conflicting record (CNAME vs address) exists at the name; nothing changed"
                    : what + " already exists (" + current + ") but was expected absent; nothing changed";
            case NONE -> Outcome.CONFLICT.description();
        };
    }

    /**
     * BADTIME with both clocks: the server puts its time in the TSIG "other data" (6 bytes,
     * RFC 8945 5.2.3); without it, only the advice.
     */
    static String badTime(TSIGRecord t, String server, Instant ours) {
        String base = "BADTIME from " + server + ": TSIG time check failed";
        byte[] other = t == null ? null : t.getOther();
        if (other == null || other.length != 6) return base + "; check that both clocks are right (NTP)";
        long secs = 0;
        for (byte b : other) secs = (secs << 8) | (b & 0xff);
        Instant theirs = Instant.ofEpochSecond(secs);
        long skew = Duration.between(ours, theirs).getSeconds();
        return base + ": server time " + theirs + ", ours " + ours.truncatedTo(ChronoUnit.SECONDS)
                + " (skew " + skew + " s" + (t.getFudge() != null ? ", fudge " + t.getFudge().getSeconds() + " s" : "")
                + "): fix the clock (NTP)";
    }
}
