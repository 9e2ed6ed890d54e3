package org.vcrecovery.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** Builds the wire messages (the UPDATE for a change, a query) and renders an UPDATE as text. */
final class UpdateMessages {
    private UpdateMessages() {}

    /**
     * One UPDATE: zone section = the zone's SOA; prerequisites from the precondition (with
     * EXPECT_ABSENT, the conflicting types must be absent too, so nobody's CNAME is overwritten);
     * then delete the conflicting types' RRsets and this type's RRset, and add the new records.
     */
    static Update build(DnsChange change) {
        Name zone = change.zoneName();
        Name owner = change.ownerName();
        RecordType type = change.type();
        Update u = new Update(zone);
        switch (change.precondition().kind()) {
            case EXPECT_VALUES -> {
                for (String v : change.precondition().values()) u.present(record(owner, type, 0, v));
            }
            case EXPECT_ABSENT -> {
                u.absent(owner, type.wireType());
                for (RecordType c : type.conflicting()) u.absent(owner, c.wireType());
            }
            case NONE -> { }
        }
        for (RecordType c : type.conflicting()) u.delete(owner, c.wireType());
        u.delete(owner, type.wireType());
        for (String v : change.values()) u.add(record(owner, type, change.ttl(), v));
        return u;
    }

    /** A non-recursive query (we ask the authoritative server itself) with EDNS for 1232 bytes. */
    static Message query(Name name, int type) {
        Message m = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        m.getHeader().unsetFlag(Flags.RD);
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return m;
    }

    static Record record(Name owner, RecordType type, long ttl, String canonicalValue) {
        return switch (type) {
            case A -> new ARecord(owner, DClass.IN, ttl, DnsNames.address(canonicalValue, type));
            case AAAA -> new AAAARecord(owner, DClass.IN, ttl, DnsNames.address(canonicalValue, type));
            case CNAME -> {
                try {
                    yield new CNAMERecord(owner, DClass.IN, ttl, Name.fromString(canonicalValue));
                } catch (TextParseException e) {
                    throw new IllegalStateException("not a name: " + canonicalValue, e);
                }
            }
        };
    }

    /** The value of a record as {@link DnsChange} writes values, for comparisons. */
    static String valueOf(Record r) {
        if (r instanceof ARecord a) return a.getAddress().getHostAddress();
        if (r instanceof AAAARecord a) return DnsNames.ipv6(a.getAddress().getAddress());
        if (r instanceof CNAMERecord c) return c.getTarget().toString().toLowerCase(java.util.Locale.ROOT);
        return r.rdataToString();
    }

    /**
     * The UPDATE as {@code nsupdate} input (zone, prereq and update lines, send): what a dry run
     * shows, and what an operator can paste into {@code nsupdate -k KEYFILE}.
     */
    static String render(Update u, String serverLine) {
        StringBuilder sb = new StringBuilder();
        if (serverLine != null) sb.append(serverLine).append('\n');
        sb.append("zone ").append(u.getQuestion().getName()).append('\n');
        for (Record r : u.getSection(Section.PREREQ)) {
            String t = Type.string(r.getType());
            if (r.getDClass() == DClass.NONE) {
                sb.append("prereq nxrrset ").append(r.getName()).append(' ').append(t).append('\n');
            } else if (r.getDClass() == DClass.ANY) {
                sb.append("prereq yxrrset ").append(r.getName()).append(' ').append(t).append('\n');
            } else {
                sb.append("prereq yxrrset ").append(r.getName()).append(' ').append(t).append(' ')
                        .append(r.rdataToString()).append('\n');
            }
        }
        for (Record r : u.getSection(Section.UPDATE)) {
            String t = Type.string(r.getType());
            if (r.getDClass() == DClass.ANY) {
                sb.append("update delete ").append(r.getName()).append(' ').append(t).append('\n');
            } else if (r.getDClass() == DClass.NONE) {
                sb.append("update delete ").append(r.getName()).append(' ').append(t).append(' ')
                        .append(r.rdataToString()).append('\n');
            } else {
                sb.append("update add ").append(r.getName()).append(' ').append(r.getTTL()).append(' ').append(t)
                        .append(' ').append(r.rdataToString()).append('\n');
            }
        }
        sb.append("send\n");
        return sb.toString();
    }
}
