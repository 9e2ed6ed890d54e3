package org.vcrecovery.listener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the Zabbix host for a trap source address or libvirt URI: the configured map first;
 * then, for an IP address and when the Zabbix API is configured, the host that has an
 * interface with that IP (looked up once, remembered 10 minutes; "none" remembered 1 minute);
 * otherwise the default host. A failed lookup logs one line and falls back to the default host.
 * Thread-safe.
 */
public final class HostResolver {
    private static final Logger log = LoggerFactory.getLogger(HostResolver.class);
    private static final long FOUND_TTL_MILLIS = 600_000;
    private static final long MISSING_TTL_MILLIS = 60_000;

    /** Zabbix host names with an interface on {@code ip}. */
    public interface Lookup {
        List<String> hostsByIp(String ip) throws Exception;
    }

    private record Cached(String host, long expires) {
    }

    private final Map<String, String> map;
    private final String defaultHost;
    private final Lookup lookup;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public HostResolver(Map<String, String> map, String defaultHost, Lookup lookup) {
        this.map = Map.copyOf(map);
        this.defaultHost = defaultHost;
        this.lookup = lookup;
    }

    public String hostFor(String source) {
        String mapped = map.get(source);
        if (mapped != null) return mapped;
        if (lookup == null || source.contains("/")) return defaultHost;
        long now = System.currentTimeMillis();
        Cached c = cache.get(source);
        if (c != null && c.expires() > now) return c.host() == null ? defaultHost : c.host();
        String found = null;
        try {
            List<String> hosts = lookup.hostsByIp(source);
            if (!hosts.isEmpty()) {
                found = hosts.stream().sorted().findFirst().get();
                if (hosts.size() > 1) log.warn("several Zabbix hosts have interface {}: {}; using {}", source, hosts, found);
                log.info("trap source {} is Zabbix host {} (API lookup)", source, found);
            } else {
                log.info("no Zabbix host has interface {}; using {}", source, defaultHost);
            }
        } catch (Exception e) {
            log.warn("Zabbix API lookup of {} failed ({}); using {}", source, e.getMessage(), defaultHost);
        }
        cache.put(source, new Cached(found, now + (found == null ? MISSING_TTL_MILLIS : FOUND_TTL_MILLIS)));
        return found == null ? defaultHost : found;
    }
}
