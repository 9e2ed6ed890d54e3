package org.vcrecovery.it.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * An independent look at what BIND holds (dnsjava's own SimpleResolver, not our transport), so
 * the tests do not check our code with our code.
 */
final class BindProbe {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SimpleResolver resolver;

    BindProbe(InetSocketAddress server) {
        resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(2));
    }

    /** A fresh label for one test, so tests never collide: {@code dns-<prefix>-<random>}. */
    static String uniqueLabel(String prefix) {
        return "dns-" + prefix + "-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    /** The values of {@code name}'s RRset of {@code type}: addresses or CNAME targets. */
    List<String> values(String name, int type) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.getHeader().unsetFlag(Flags.RD);
        Message r = resolver.send(q);
        if (r.getRcode() != Rcode.NOERROR && r.getRcode() != Rcode.NXDOMAIN) {
            throw new IOException("BIND answered " + Rcode.string(r.getRcode()) + " for " + name);
        }
        List<String> out = new ArrayList<>();
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec.getType() != type) continue;
            if (rec instanceof ARecord a) out.add(a.getAddress().getHostAddress());
            else if (rec instanceof CNAMERecord c) out.add(c.getTarget().toString());
            else out.add(rec.rdataToString());
        }
        return out;
    }

    List<String> a(String name) throws IOException {
        return values(name, Type.A);
    }
}
