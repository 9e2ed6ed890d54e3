package org.vcrecovery.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * One change of one name's records, sent as one atomic RFC 2136 UPDATE: the
 * {@link Precondition} as prerequisites, then "delete the RRset" and "add these records".
 *
 * <p>The compact constructor validates and normalises every field and throws
 * {@link IllegalArgumentException} naming the field: the zone and name become absolute and
 * lower-case ({@code www} and {@code www.example.test} in zone {@code example.test} are both
 * {@code www.example.test.}; a name with a trailing dot is taken as written and must lie inside
 * the zone); values are parsed for the type (A: dotted quad, AAAA: IPv6 literal, CNAME: a name,
 * relative to the zone unless it has a trailing dot) and written canonically, duplicates
 * dropped; a CNAME has exactly one value and cannot sit at the zone apex; ttl is 0..2147483647
 * seconds (RFC 2181). Nothing here touches the network.
 *
 * <p>Because a CNAME cannot coexist with addresses, setting A or AAAA also deletes a CNAME at
 * the name, and setting a CNAME also deletes A and AAAA there, in the same message.
 */
public record DnsChange(String zone, String name, RecordType type, List<String> values, long ttl,
                        Precondition precondition) {
    /** The largest TTL RFC 2181 allows. */
    public static final long MAX_TTL = 2147483647L;

    public DnsChange {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(values, "values == null");
        if (precondition == null) precondition = Precondition.none();
        Name zoneName = DnsNames.zone(zone);
        Name owner = DnsNames.absolute("name", name, zoneName);
        if (!owner.subdomain(zoneName)) {
            throw new IllegalArgumentException("name: " + owner + " is outside the zone " + zoneName);
        }
        if (type == RecordType.CNAME && owner.equals(zoneName)) {
            throw new IllegalArgumentException("name: a CNAME cannot be at the zone apex " + zoneName);
        }
        if (ttl < 0 || ttl > MAX_TTL) {
            throw new IllegalArgumentException("ttl: " + ttl + " is outside 0.." + MAX_TTL + " seconds");
        }
        values = normalise("value", type, values, zoneName);
        if (values.isEmpty()) throw new IllegalArgumentException("value: at least one value is required");
        if (type == RecordType.CNAME && values.size() > 1) {
            throw new IllegalArgumentException("value: a CNAME has exactly one target, got " + values.size());
        }
        if (precondition.kind() == Precondition.Kind.EXPECT_VALUES) {
            precondition = Precondition.expect(normalise("expect", type, precondition.values(), zoneName));
        }
        zone = zoneName.toString();
        name = owner.toString();
    }

    /** A change without precondition (overwrite whatever is there). */
    public static DnsChange of(String zone, String name, RecordType type, long ttl, String... values) {
        return new DnsChange(zone, name, type, List.of(values), ttl, Precondition.none());
    }

    /**
     * {@code name} made absolute and lower-case as a change would make it (relative to {@code zone}
     * unless it has a trailing dot or already ends with the zone); throws
     * {@link IllegalArgumentException} naming the field if it is malformed or outside the zone.
     */
    public static String qualify(String zone, String name) {
        Name z = DnsNames.zone(zone);
        Name n = DnsNames.absolute("name", name, z);
        if (!n.subdomain(z)) throw new IllegalArgumentException("name: " + n + " is outside the zone " + z);
        return n.toString();
    }

    /** This change, applied only if the RRset currently holds exactly {@code current}. */
    public DnsChange expecting(String... current) {
        return new DnsChange(zone, name, type, values, ttl, Precondition.expect(current));
    }

    /** This change, applied only if no RRset of this type exists at the name. */
    public DnsChange expectingAbsent() {
        return new DnsChange(zone, name, type, values, ttl, Precondition.absent());
    }

    /** This change with another precondition. */
    public DnsChange withPrecondition(Precondition p) {
        return new DnsChange(zone, name, type, values, ttl, p);
    }

    /** {@code www.example.test. A 127.0.10.2, 127.0.10.3 (ttl 30)}. */
    public String describe() {
        return name + " " + type + " " + String.join(", ", values) + " (ttl " + ttl + ")";
    }

    Name zoneName() {
        return DnsNames.zone(zone);
    }

    Name ownerName() {
        return DnsNames.absolute("name", name, zoneName());
    }

    /** Whether {@code seen} (values as the server returned them) equals this change's values. */
    boolean matches(List<String> seen) {
        return Set.copyOf(seen).equals(Set.copyOf(values));
    }

    private static List<String> normalise(String field, RecordType type, List<String> raw, Name zone) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : raw) out.add(DnsNames.value(field, type, v, zone));
        return List.copyOf(new ArrayList<>(out));
    }
}
