package org.vcrecovery.listener;

import java.time.Instant;
import java.util.Objects;

/**
 * One value for a Zabbix trapper item: the unit that is spooled, batched and sent.
 *
 * <p>{@code clock}/{@code ns} is when the listener learned the value (trap received, event
 * delivered, poll taken), not when it was sent, so a value replayed from the spool keeps its
 * original time in Zabbix. The constructor rejects blank host or key, a null value and an
 * {@code ns} outside 0..999,999,999 with an {@link IllegalArgumentException} naming the field.
 */
public record TrapperValue(String host, String key, String value, long clock, int ns) {
    public TrapperValue {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is blank");
        if (key == null || key.isBlank()) throw new IllegalArgumentException("key is blank");
        Objects.requireNonNull(value, "value == null");
        if (clock < 0) throw new IllegalArgumentException("clock < 0: " + clock);
        if (ns < 0 || ns > 999_999_999) throw new IllegalArgumentException("ns out of range: " + ns);
    }

    /** A value stamped with {@code at}. */
    public static TrapperValue at(Instant at, String host, String key, String value) {
        return new TrapperValue(host, key, value, at.getEpochSecond(), at.getNano());
    }

    /** The (host, key) pair that identifies the Zabbix item this value is for. */
    public String item() {
        return host + '\u0000' + key;
    }
}
