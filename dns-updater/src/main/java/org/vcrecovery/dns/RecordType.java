package org.vcrecovery.dns;

import org.xbill.DNS.Type;

/**
 * The record types {@link DnsUpdater} manages: the ones that point a service name somewhere.
 *
 * <p>A and AAAA (addresses) and CNAME (an alias) are mutually exclusive at one name, so an
 * update of one type also removes the other kind at that name (see {@link DnsChange}).
 */
public enum RecordType {
    A(Type.A),
    AAAA(Type.AAAA),
    CNAME(Type.CNAME);

    private final int wireType;

    RecordType(int wireType) {
        this.wireType = wireType;
    }

    /** The dnsjava/RFC 1035 numeric type. */
    int wireType() {
        return wireType;
    }

    /** Parses {@code A}, {@code aaaa}, {@code CNAME}; throws naming the field otherwise. */
    public static RecordType parse(String text) {
        if (text != null) {
            for (RecordType t : values()) {
                if (t.name().equalsIgnoreCase(text.trim())) return t;
            }
        }
        throw new IllegalArgumentException("type: " + text + " is not one of A, AAAA, CNAME");
    }

    /** The types that cannot coexist with this one at the same name (CNAME vs addresses). */
    RecordType[] conflicting() {
        return this == CNAME ? new RecordType[] {A, AAAA} : new RecordType[] {CNAME};
    }
}
