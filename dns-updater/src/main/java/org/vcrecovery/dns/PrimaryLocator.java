package org.vcrecovery.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds the primary server of the zone holding a name when none was configured: asks the
 * system's resolver (resolv.conf) for the name's SOA and takes its MNAME, port 53. One SOA
 * query works for any name: the SOA comes back in the answer (apex) or authority section.
 */
final class PrimaryLocator {
    private final Transport transport;
    private final InetSocketAddress resolver;
    private final Map<Name, InetSocketAddress> cache = new ConcurrentHashMap<>();

    /** Asks the first resolver of resolv.conf. */
    PrimaryLocator(Transport transport) {
        this(transport, null);
    }

    /** Asks {@code resolver} (tests), or resolv.conf's first server when null. */
    PrimaryLocator(Transport transport, InetSocketAddress resolver) {
        this.transport = transport;
        this.resolver = resolver;
    }

    InetSocketAddress primaryFor(Name name) throws DnsException {
        InetSocketAddress cached = cache.get(name);
        if (cached != null) return cached;
        List<InetSocketAddress> resolvers = resolver != null ? List.of(resolver) : ResolverConfig.getCurrentConfig().servers();
        if (resolvers.isEmpty()) {
            throw new DnsException(Outcome.UNREACHABLE, "no --server given and no resolver in resolv.conf to find the SOA of " + name);
        }
        Message q = Message.newQuery(Record.newRecord(name, Type.SOA, DClass.IN));
        Message reply = transport.exchange(resolvers.get(0), q, null).response();
        if (reply.getRcode() != Rcode.NOERROR && reply.getRcode() != Rcode.NXDOMAIN) {
            throw new DnsException(Outcome.classify(reply.getRcode(), 0),
                    "cannot find the primary of " + name + ": SOA query answered " + Rcode.string(reply.getRcode()));
        }
        List<Record> candidates = new ArrayList<>(reply.getSection(Section.ANSWER));
        candidates.addAll(reply.getSection(Section.AUTHORITY));
        for (Record r : candidates) {
            if (r instanceof SOARecord soa) {
                Name mname = soa.getHost();
                try {
                    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(mname.toString(true)), 53);
                    cache.put(name, a);
                    return a;
                } catch (UnknownHostException e) {
                    throw new DnsException(Outcome.UNREACHABLE, "the SOA MNAME " + mname + " of " + r.getName()
                            + " does not resolve; give --server", e);
                }
            }
        }
        throw new DnsException(Outcome.UNREACHABLE, "no SOA found for " + name + "; give the server explicitly");
    }
}
