package org.vcrecovery.zabbix.sender;

import java.time.Instant;

/**
 * One value for a Zabbix trapper item: the item's host (technical name), its key, the value as
 * Zabbix should store it, and optionally its timestamp.
 *
 * <p>{@code clock} is seconds since the epoch and {@code ns} the nanoseconds within that second;
 * both are optional ({@code null}: the server stamps the value on arrival). {@code ns} without
 * {@code clock} is rejected. Construction throws {@link IllegalArgumentException} (or
 * {@link NullPointerException}) naming the offending field.
 *
 * @param host  technical host name, non-empty
 * @param key   item key, non-empty
 * @param value the value (text; numbers in their decimal form), non-null, may be empty
 * @param clock epoch seconds, or null
 * @param ns    nanoseconds 0..999999999, or null
 */
public record SenderValue(String host, String key, String value, Long clock, Integer ns) {

    public SenderValue {
        if (host == null) throw new NullPointerException("host == null");
        if (host.isEmpty()) throw new IllegalArgumentException("host is empty");
        if (key == null) throw new NullPointerException("key == null");
        if (key.isEmpty()) throw new IllegalArgumentException("key is empty");
        if (value == null) throw new NullPointerException("value == null (host " + host + ", key " + key + ")");
        if (clock != null && clock < 0) throw new IllegalArgumentException("clock must be >= 0: " + clock);
        if (ns != null) {
            if (clock == null) throw new IllegalArgumentException("ns given without clock");
            if (ns < 0 || ns > 999_999_999) throw new IllegalArgumentException("ns must be 0..999999999: " + ns);
        }
    }

    /** A value the server timestamps on arrival. */
    public SenderValue(String host, String key, String value) {
        this(host, key, value, null, null);
    }

    /** A value stamped with {@code at} (seconds and nanoseconds). */
    public static SenderValue at(String host, String key, String value, Instant at) {
        return new SenderValue(host, key, value, at.getEpochSecond(), at.getNano());
    }
}
