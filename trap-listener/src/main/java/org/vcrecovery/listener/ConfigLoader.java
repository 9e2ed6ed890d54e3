package org.vcrecovery.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcrecovery.config.Durations;
import org.vcrecovery.listener.snmp.SourceAllowlist;

/**
 * Reads the YAML config file, applies command-line overrides and validates everything before
 * any socket opens. Every problem is one {@link ConfigException} naming the key (or flag).
 * Unknown keys are errors (a typo must not silently fall back to a default).
 */
public final class ConfigLoader {
    private static final Set<String> KEYS = Set.of(
            "snmp.listen", "snmp.communities", "snmp.sources", "snmp.threads", "snmp.v3-users",
            "zabbix.servers", "zabbix.timeout", "zabbix.resend-window", "zabbix.api-url", "zabbix.api-token-file",
            "hosts.default", "hosts.map", "hosts.self",
            "libvirt.uris", "libvirt.poll-interval", "libvirt.reconnect-max",
            "spool.dir", "spool.max-bytes", "spool.fsync", "spool.queue",
            "batch.max-values", "batch.linger", "batch.refused-retry",
            "discovery.interval", "discovery.max-vms", "self-monitoring.interval", "shutdown.grace");
    private static final Set<String> OBJECT_LEAVES = Set.of("hosts.map");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");

    /**
     * Command-line overrides; null or empty means "not given". Secrets (communities) have no
     * flag: a command line is visible to every local user.
     */
    public record Overrides(String snmpListen, List<String> zabbix, List<String> hostMap,
                            List<String> libvirt, Path spool, String pollInterval, String defaultHost) {
        public static final Overrides NONE = new Overrides(null, List.of(), List.of(), List.of(), null, null, null);
    }

    private ConfigLoader() {
    }

    /**
     * Loads {@code file} (may be null: defaults only) and applies {@code o}. The file, and every
     * secret file it names, must pass the owner/mode rule of {@link SecretFiles} for this
     * process; a file holding communities is a secret file itself.
     */
    public static ListenerConfig load(Path file, Overrides o) throws ConfigException {
        return load(file, o, SecretFiles.forThisProcess());
    }

    static ListenerConfig load(Path file, Overrides o, SecretFiles secrets) throws ConfigException {
        Map<String, JsonNode> v = new LinkedHashMap<>();
        if (file != null) {
            JsonNode root;
            try {
                root = new YAMLMapper().readTree(Files.readString(file));
            } catch (IOException e) {
                throw new ConfigException("--config", "cannot read " + file + ": " + firstLine(e.getMessage()));
            }
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) throw new ConfigException("--config", file + " is not a YAML mapping");
                flatten("", root, v);
            }
            boolean holdsSecrets = v.get("snmp.communities") != null && !v.get("snmp.communities").isNull()
                    && !(v.get("snmp.communities").isArray() && v.get("snmp.communities").isEmpty());
            secrets.check("--config", file, holdsSecrets ? SecretFiles.Strictness.SECRET : SecretFiles.Strictness.NOT_WRITABLE);
        }
        return build(v, o, secrets);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) throws ConfigException {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !OBJECT_LEAVES.contains(key)) {
                flatten(key, e.getValue(), out);
            } else if (!KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key");
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static ListenerConfig build(Map<String, JsonNode> v, Overrides o, SecretFiles secrets) throws ConfigException {
        String listenText = o.snmpListen() != null ? o.snmpListen() : text(v, "snmp.listen", "0.0.0.0:162");
        InetSocketAddress listen = listenText.isBlank() || listenText.equalsIgnoreCase("off")
                ? null : hostPort(o.snmpListen() != null ? "--snmp-listen" : "snmp.listen", listenText, true);
        List<String> communities = list(v, "snmp.communities", List.of());
        SourceAllowlist sources = SnmpConfigReader.sources(list(v, "snmp.sources", List.of()));
        int threads = integer(v, "snmp.threads", 1, 1, 64);
        List<ListenerConfig.V3User> users = SnmpConfigReader.v3Users(v.get("snmp.v3-users"), secrets);
        SnmpConfigReader.requireSomeAuthentication(listen != null, communities, users);

        String zKey = !o.zabbix().isEmpty() ? "--zabbix" : "zabbix.servers";
        List<String> zText = !o.zabbix().isEmpty() ? o.zabbix() : list(v, "zabbix.servers", List.of("127.0.0.1:10051"));
        if (zText.isEmpty() || zText.size() > 8) throw new ConfigException(zKey, "give 1 to 8 servers, got " + zText.size());
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : zText) servers.add(hostPort(zKey, s, false));
        Duration timeout = duration(v, "zabbix.timeout", "5s", Duration.ofMillis(100), Duration.ofSeconds(60));
        Duration resendWindow = duration(v, "zabbix.resend-window", "3s", Duration.ZERO, Duration.ofSeconds(60));
        String apiUrl = text(v, "zabbix.api-url", "").trim();
        Path apiToken = null;
        if (!apiUrl.isEmpty()) {
            if (!apiUrl.startsWith("http://") && !apiUrl.startsWith("https://")) {
                throw new ConfigException("zabbix.api-url", "'" + apiUrl + "' is not an http(s) URL");
            }
            String t = text(v, "zabbix.api-token-file", "");
            if (t.isBlank()) throw new ConfigException("zabbix.api-token-file", "missing (needed with zabbix.api-url)");
            apiToken = Path.of(t);
            secrets.check("zabbix.api-token-file", apiToken, SecretFiles.Strictness.SECRET);
            if (!Files.isReadable(apiToken)) throw new ConfigException("zabbix.api-token-file", "cannot read " + apiToken);
        }

        String defaultHost = o.defaultHost() != null ? o.defaultHost() : text(v, "hosts.default", localHostName());
        if (defaultHost.isBlank()) throw new ConfigException("hosts.default", "empty host name");
        Map<String, String> hostMap = new LinkedHashMap<>();
        JsonNode map = v.get("hosts.map");
        if (map != null && !map.isNull()) {
            if (!map.isObject()) throw new ConfigException("hosts.map", "must be a mapping SOURCE: ZABBIXHOST");
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw new ConfigException("hosts.map." + e.getKey(), "must be a non-empty Zabbix host name");
                }
                hostMap.put(e.getKey(), e.getValue().asText());
            }
        }
        for (String m : o.hostMap()) {
            int eq = m.lastIndexOf('=');
            if (eq <= 0 || eq == m.length() - 1) throw new ConfigException("--host-map", "'" + m + "' is not SOURCE=ZABBIXHOST");
            hostMap.put(m.substring(0, eq), m.substring(eq + 1));
        }
        String selfHost = text(v, "hosts.self", defaultHost);

        List<String> uris = !o.libvirt().isEmpty() ? o.libvirt() : list(v, "libvirt.uris", List.of());
        for (String u : uris) if (!u.contains(":")) throw new ConfigException("libvirt.uris", "'" + u + "' is not a libvirt URI");
        Duration poll = o.pollInterval() != null
                ? parseDuration("--poll-interval", o.pollInterval(), Duration.ofSeconds(1), Duration.ofHours(1))
                : duration(v, "libvirt.poll-interval", "5s", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration reconnect = duration(v, "libvirt.reconnect-max", "60s", Duration.ofSeconds(1), Duration.ofMinutes(10));

        Path spool = o.spool() != null ? o.spool() : Path.of(text(v, "spool.dir", "/var/lib/vcr-trap-listener"));
        long maxBytes = size(v, "spool.max-bytes", "256MiB", 1L << 20, 1L << 40);
        boolean fsync = bool(v, "spool.fsync", true);
        int queue = integer(v, "spool.queue", 65536, 1024, 1 << 20);

        int maxValues = integer(v, "batch.max-values", 1000, 1, 10000);
        Duration linger = duration(v, "batch.linger", "2ms", Duration.ZERO, Duration.ofSeconds(1));
        Duration refused = duration(v, "batch.refused-retry", "5m", Duration.ZERO, Duration.ofHours(24));
        Duration discovery = duration(v, "discovery.interval", "10m", Duration.ofSeconds(10), Duration.ofHours(24));
        int maxVms = integer(v, "discovery.max-vms", 10_000, 1, 1_000_000);
        Duration self = duration(v, "self-monitoring.interval", "60s", Duration.ZERO, Duration.ofHours(1));
        Duration grace = duration(v, "shutdown.grace", "5s", Duration.ZERO, Duration.ofSeconds(60));
        return new ListenerConfig(listen, communities, sources, threads, users, servers, timeout, resendWindow, apiUrl, apiToken, defaultHost, hostMap,
                selfHost, uris, poll, reconnect, spool, maxBytes, fsync, queue, maxValues, linger, refused, discovery, maxVms, self, grace);
    }

    /** Reads a passphrase or token file (surrounding white space stripped); call after {@link #load} checked it. */
    public static String readSecret(Path p) throws IOException {
        return SnmpConfigReader.readSecret(p);
    }

    static InetSocketAddress hostPort(String key, String s, boolean allowZeroPort) throws ConfigException {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) throw new ConfigException(key, "'" + s + "' is not HOST:PORT");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + s + "' has no numeric port");
        }
        if (port < (allowZeroPort ? 0 : 1) || port > 65535) throw new ConfigException(key, "port " + port + " is outside " + (allowZeroPort ? 0 : 1) + "..65535");
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static String text(Map<String, JsonNode> v, String key, String def) throws ConfigException {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) return def;
        if (!n.isValueNode()) throw new ConfigException(key, "must be a single value");
        return n.asText();
    }

    private static List<String> list(Map<String, JsonNode> v, String key, List<String> def) throws ConfigException {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) return def;
        List<String> out = new ArrayList<>();
        if (n.isValueNode()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) throw new ConfigException(key, "must be a list");
        for (JsonNode e : n) {
            if (!e.isValueNode()) throw new ConfigException(key, "entries must be plain values");
            out.add(e.asText());
        }
        return out;
    }

    private static int integer(Map<String, JsonNode> v, String key, int def, int min, int max) throws ConfigException {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) return def;
        if (!n.canConvertToInt() || !(n.isIntegralNumber() || n.isTextual() && n.asText().matches("\\d+"))) {
            throw new ConfigException(key, "'" + n.asText() + "' is not an integer");
        }
        int i = n.isTextual() ? Integer.parseInt(n.asText()) : n.asInt();
        if (i < min || i > max) throw new ConfigException(key, i + " is outside " + min + ".." + max);
        return i;
    }

    private static boolean bool(Map<String, JsonNode> v, String key, boolean def) throws ConfigException {
        JsonNode n = v.get(key);
        if (n == null || n.isNull()) return def;
        if (n.isBoolean()) return n.asBoolean();
        throw new ConfigException(key, "'" + n.asText() + "' is not true or false");
    }

    private static Duration duration(Map<String, JsonNode> v, String key, String def, Duration min, Duration max) throws ConfigException {
        return parseDuration(key, text(v, key, def), min, max);
    }

    /**
     * {@code s} read as vcr.yaml reads a duration ({@link Durations}), inside {@code min..max}; a
     * bare number stays seconds, as this file has always documented. A problem names {@code key}.
     */
    static Duration parseDuration(String key, String s, Duration min, Duration max) throws ConfigException {
        try {
            return Durations.parseBareSeconds(s, min, max);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static long size(Map<String, JsonNode> v, String key, String def, long min, long max) throws ConfigException {
        String s = text(v, key, def).trim();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) throw new ConfigException(key, "'" + s + "' is not a size (e.g. 256MiB)");
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        if (n > (max >> shift)) throw new ConfigException(key, s + " is more than " + max + " bytes");
        long b = n << shift;
        if (b < min) throw new ConfigException(key, s + " is less than " + min + " bytes");
        return b;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
