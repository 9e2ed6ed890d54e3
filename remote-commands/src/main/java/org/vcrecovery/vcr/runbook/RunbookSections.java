package org.vcrecovery.vcr.runbook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.runbook.Runbook.Check;
import org.vcrecovery.vcr.runbook.Runbook.Dns;
import org.vcrecovery.vcr.runbook.Runbook.Limits;
import org.vcrecovery.vcr.yaml.YamlMap;
import org.vcrecovery.vcr.yaml.YamlTree.ListNode;

/**
 * The runbook sections that stand alone (checks, dns, limits), for {@link RunbookReader}: each
 * reads its mapping, adds every problem to the shared list with its line, and returns null (or
 * what is valid) when something is wrong.
 */
final class RunbookSections {
    private RunbookSections() {}

    static List<Check> checks(YamlMap root, ListNode list) {
        List<Check> out = new ArrayList<>();
        if (list == null) return out;
        if (list.items().isEmpty()) root.problem("checks", "empty: list at least one check (protocol and port)");
        for (int i = 0; i < list.items().size(); i++) {
            YamlMap m = root.item(list, "checks", i);
            if (m == null) continue;
            Protocol protocol = m.choice("protocol", true, Protocol.byLabel());
            Integer port = m.integer("port", false, 1, 65535);
            Duration timeout = m.duration("timeout", Duration.ofMillis(10), Duration.ofMinutes(5));
            m.finish();
            if (protocol == null) continue;
            if (port == null && protocol.defaultPort() == 0) {
                if (m.has("port")) continue;
                m.problem("port", "missing: a " + protocol.label() + " check needs a port");
                continue;
            }
            out.add(new Check(protocol, port == null ? protocol.defaultPort() : port,
                    timeout == null ? RunbookReader.DEFAULT_CHECK_TIMEOUT : timeout));
        }
        return out;
    }

    static Dns dns(YamlMap m) {
        if (m == null) return null;
        String server = m.string("server", true);
        String host = null;
        int port = 53;
        if (server != null) {
            int colon = server.lastIndexOf(':');
            boolean hasPort = colon > 0 && (server.indexOf(':') == colon || server.startsWith("["));
            host = hasPort ? server.substring(0, colon) : server;
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            try {
                if (hasPort) port = Integer.parseInt(server.substring(colon + 1));
                if (port < 1 || port > 65535) throw new NumberFormatException();
                if (!Names.isHost(host)) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                m.problem("server", "'" + server + "' is not ADDRESS:PORT (e.g. 127.0.0.1:53)");
                host = null;
            }
            if (host != null && !Names.isAddress(host)) {
                m.problem("server", "'" + host + "' is not an IP address (a name would need a lookup nobody "
                        + "authenticates: write the server's address, e.g. 127.0.0.1:53)");
                host = null;
            }
        }
        String zone = m.string("zone", true);
        String name = m.string("name", true);
        String type = m.choice("type", false, RunbookReader.ordered("A", "AAAA"));
        Integer ttl = m.integer("ttl", false, 0, 604800);
        String tsig = m.string("tsig-file", false);
        String unsigned = m.string("tsig", false);
        m.finish();
        if (unsigned != null && !unsigned.equals("none")) {
            m.problem("tsig", "'" + unsigned + "' is not none (tsig: none sends unsigned updates; a key goes in tsig-file)");
            return null;
        }
        if (unsigned != null && tsig != null) {
            m.problem("tsig", "tsig: none and tsig-file exclude each other");
            return null;
        }
        if (unsigned == null && tsig == null) {
            m.problem("tsig-file", "missing: the TSIG key file that signs the update (write tsig: none to update unsigned)");
            return null;
        }
        if (zone != null && !Names.isHost(zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone)) {
            m.problem("zone", "'" + zone + "' is not a domain name");
            zone = null;
        }
        if (name != null && !name.equals("@") && !Names.isHost(name.endsWith(".") ? name.substring(0, name.length() - 1) : name)) {
            m.problem("name", "'" + name + "' is not a record name (relative to the zone, or absolute ending in '.')");
            name = null;
        }
        if (host == null || zone == null || name == null) return null;
        Dns dns = new Dns(host, port, zone, name, type == null ? "A" : type, ttl == null ? 30 : ttl,
                tsig == null ? null : Path.of(tsig));
        String z = zone.endsWith(".") ? zone : zone + ".";
        if (!dns.fqdn().equalsIgnoreCase(z) && !dns.fqdn().toLowerCase().endsWith("." + z.toLowerCase())) {
            m.problem("name", "'" + name + "' is not inside zone " + zone);
            return null;
        }
        return dns;
    }

    static Limits limits(YamlMap m) {
        Limits d = Limits.DEFAULTS;
        if (m == null) return d;
        Duration max = Duration.ofHours(1);
        Duration ms = Duration.ofMillis(1);
        Duration fence = m.duration("fence-timeout", ms, max);
        Duration start = m.duration("start-timeout", ms, max);
        Duration check = m.duration("check-timeout", ms, max);
        Duration dnsT = m.duration("dns-timeout", ms, max);
        Duration ack = m.duration("ack-timeout", ms, max);
        Duration deadline = m.duration("deadline", ms, Duration.ofHours(2));
        Integer retries = m.integer("retries", false, 0, 10);
        Duration window = m.duration("dedup-window", Duration.ZERO, Duration.ofDays(7));
        m.finish();
        return new Limits(or(fence, d.fenceTimeout()), or(start, d.startTimeout()), or(check, d.checkTimeout()),
                or(dnsT, d.dnsTimeout()), or(ack, d.ackTimeout()), or(deadline, d.deadline()),
                retries == null ? d.retries() : retries, window);
    }

    private static Duration or(Duration d, Duration dflt) {
        return d == null ? dflt : d;
    }
}
