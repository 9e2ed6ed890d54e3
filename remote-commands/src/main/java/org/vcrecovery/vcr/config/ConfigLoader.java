package org.vcrecovery.vcr.config;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.VcrConfig.MaintenanceUnknown;
import org.vcrecovery.vcr.yaml.InvalidYamlException;
import org.vcrecovery.vcr.yaml.Problem;
import org.vcrecovery.vcr.yaml.YamlMap;
import org.vcrecovery.vcr.yaml.YamlTree;

/**
 * Finds and reads the vcr config file. Precedence, highest first: command-line option
 * ({@code --config}, {@code --runbooks}, {@code --state-dir}), environment ({@code VCR_CONFIG},
 * {@code VCR_RUNBOOKS}, {@code VCR_STATE_DIR}), the file, the defaults.
 *
 * <p>A missing default file means "all defaults, no Zabbix"; a missing file that was asked for
 * explicitly, a file with problems (each named with line and field), or a secret file with
 * loose permissions is a {@link VcrException} with {@link ExitCode#USAGE}.
 *
 * <p>{@code zabbix.maintenance-unknown} defaults to {@code proceed}: when the API cannot be
 * asked about maintenance, recovery goes ahead and the report and audit say "maintenance
 * unknown". vcr usually runs because Zabbix itself just fired an action, so an API failure at
 * that moment is most likely the frontend/API being down or overloaded — refusing would turn a
 * monitoring outage into a service outage, and the split-brain rule (fencing) rather than the
 * maintenance flag is what keeps a recovery safe. Sites that use maintenance to block recovery
 * during planned work set {@code refuse} (exit UNREACHABLE, nothing touched).
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * @param explicit  {@code --config}, or null
     * @param runbooks  {@code --runbooks}, or null
     * @param stateDir  {@code --state-dir}, or null
     * @param env       the environment (System.getenv() in production)
     */
    public static VcrConfig load(Path explicit, Path runbooks, Path stateDir, Map<String, String> env) {
        Path file = explicit;
        boolean asked = explicit != null;
        if (file == null && env.get("VCR_CONFIG") != null && !env.get("VCR_CONFIG").isBlank()) {
            file = Path.of(env.get("VCR_CONFIG"));
            asked = true;
        }
        if (file == null) file = VcrConfig.DEFAULT_FILE;
        VcrConfig fromFile;
        if (Files.isRegularFile(file)) {
            fromFile = read(file);
        } else if (asked) {
            throw new VcrException(ExitCode.USAGE, "config file " + file + " does not exist");
        } else {
            fromFile = new VcrConfig(null, VcrConfig.DEFAULT_RUNBOOKS, VcrConfig.DEFAULT_STATE, VcrConfig.DEFAULT_DEDUP_WINDOW, null);
        }
        Path rb = runbooks != null ? runbooks : envPath(env, "VCR_RUNBOOKS", fromFile.runbookDir());
        Path st = stateDir != null ? stateDir : envPath(env, "VCR_STATE_DIR", fromFile.stateDir());
        return new VcrConfig(fromFile.zabbix(), rb, st, fromFile.dedupWindow(), fromFile.source(), fromFile.breaker(),
                fromFile.hostDown());
    }

    private static Path envPath(Map<String, String> env, String key, Path dflt) {
        String v = env.get(key);
        return v == null || v.isBlank() ? dflt : Path.of(v);
    }

    /** Reads one config file; every problem is reported in the exception's message. */
    public static VcrConfig read(Path file) {
        SecretFile.requireProtected(file, "config file");
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot read config file " + file + ": " + e.getMessage(), e);
        } catch (InvalidYamlException e) {
            throw new VcrException(ExitCode.USAGE, "config file has problems:\n" + e.getMessage(), e);
        }
    }

    static VcrConfig parse(String text, Path file) throws IOException, InvalidYamlException {
        List<Problem> problems = new ArrayList<>();
        YamlTree tree;
        try {
            tree = YamlTree.read(new StringReader(text));
        } catch (YamlTree.YamlException e) {
            throw new InvalidYamlException(List.of(new Problem(file, e.line(), "", "not valid YAML: " + e.getMessage())));
        }
        if (tree.root() instanceof YamlTree.Scalar s && s.text() == null) {
            return new VcrConfig(null, VcrConfig.DEFAULT_RUNBOOKS, VcrConfig.DEFAULT_STATE, VcrConfig.DEFAULT_DEDUP_WINDOW, file);
        }
        YamlMap root = YamlMap.root(tree, file, problems);
        if (root == null) throw new InvalidYamlException(problems);
        VcrConfig.Zabbix zabbix = zabbix(root.map("zabbix", false), file);
        String runbooks = root.string("runbooks", false);
        String state = root.string("state-dir", false);
        Duration window = root.duration("dedup-window", Duration.ZERO, Duration.ofDays(7));
        VcrConfig.Breaker breaker = breaker(root.map("breaker", false));
        VcrConfig.HostDown hostDown = hostDown(root.map("host-down", false));
        root.finish();
        if (!problems.isEmpty()) throw new InvalidYamlException(problems);
        return new VcrConfig(zabbix,
                runbooks == null ? VcrConfig.DEFAULT_RUNBOOKS : Path.of(runbooks),
                state == null ? VcrConfig.DEFAULT_STATE : Path.of(state),
                window == null ? VcrConfig.DEFAULT_DEDUP_WINDOW : window, file, breaker, hostDown);
    }

    /** {@code host-down: {parallel, per-standby-host, per-zone, per-backend}}: each absent field keeps its default. */
    private static VcrConfig.HostDown hostDown(YamlMap m) {
        VcrConfig.HostDown d = VcrConfig.HostDown.DEFAULT;
        if (m == null) return d;
        Integer all = m.integer("parallel", false, 1, VcrConfig.HostDown.MAX);
        Integer host = m.integer("per-standby-host", false, 1, VcrConfig.HostDown.MAX);
        Integer zone = m.integer("per-zone", false, 1, VcrConfig.HostDown.MAX);
        Integer backend = m.integer("per-backend", false, 1, VcrConfig.HostDown.MAX);
        m.finish();
        return new VcrConfig.HostDown(all == null ? d.parallel() : all, host == null ? d.perStandbyHost() : host,
                zone == null ? d.perZone() : zone, backend == null ? d.perBackend() : backend);
    }

    /** {@code breaker: {limit: N, window: D}}: each absent field keeps its default; a bad one is a problem naming it. */
    private static VcrConfig.Breaker breaker(YamlMap m) {
        if (m == null) return VcrConfig.Breaker.DEFAULT;
        Integer limit = m.integer("limit", false, 1, VcrConfig.Breaker.MAX_LIMIT);
        Duration window = m.duration("window", Duration.ofSeconds(1), VcrConfig.Breaker.MAX_WINDOW);
        m.finish();
        return new VcrConfig.Breaker(limit == null ? VcrConfig.Breaker.DEFAULT.limit() : limit,
                window == null ? VcrConfig.Breaker.DEFAULT.window() : window);
    }

    private static VcrConfig.Zabbix zabbix(YamlMap m, Path file) {
        if (m == null) return null;
        String url = m.string("url", true);
        String token = m.string("token-file", false);
        String user = m.string("user", false);
        String password = m.string("password-file", false);
        Duration timeout = m.duration("timeout", Duration.ofMillis(10), Duration.ofMinutes(5));
        Map<String, MaintenanceUnknown> policies = new LinkedHashMap<>();
        policies.put("proceed", MaintenanceUnknown.PROCEED);
        policies.put("refuse", MaintenanceUnknown.REFUSE);
        MaintenanceUnknown policy = m.choice("maintenance-unknown", false, policies);
        VcrConfig.Trapper trapper = trapper(m);
        String version = m.string("version", false);
        if (version != null && !version.matches("\\d{1,2}\\.\\d{1,2}(\\.\\d{1,3})?")) {
            m.problem("version", "'" + version + "' is not a Zabbix version such as 6.0 or 7.0.5");
            version = null;
        }
        m.finish();
        URI uri = null;
        if (url != null) {
            try {
                uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(url, "not http(s)://host/...");
                }
            } catch (URISyntaxException e) {
                m.problem("url", "'" + url + "' is not an http(s) URL of the API (e.g. https://zabbix.example/api_jsonrpc.php)");
                uri = null;
            }
        }
        if (token != null && (user != null || password != null)) {
            m.problem("token-file", "give token-file, or user and password-file, not both");
        } else if (token == null && (user == null || password == null)) {
            m.problem(user == null ? "user" : "password-file",
                    "missing: give token-file, or user and password-file");
        }
        if (uri == null) return null;
        if (token == null && (user == null || password == null)) return null;
        if (token != null && (user != null || password != null)) return null;
        return new VcrConfig.Zabbix(uri, token == null ? null : Path.of(token), user,
                password == null ? null : Path.of(password), timeout == null ? Duration.ofSeconds(5) : timeout,
                policy == null ? MaintenanceUnknown.PROCEED : policy, version, trapper);
    }

    /** {@code trapper: host:port} (port 10051 when omitted; IPv6 as [addr]:port), or null when absent or bad. */
    static VcrConfig.Trapper trapper(YamlMap m) {
        String t = m.string("trapper", false);
        if (t == null) return null;
        String host = t;
        int port = VcrConfig.Trapper.DEFAULT_PORT;
        try {
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) throw new NumberFormatException();
                host = t.substring(1, end);
                if (end + 1 < t.length()) {
                    if (t.charAt(end + 1) != ':') throw new NumberFormatException();
                    port = Integer.parseInt(t.substring(end + 2));
                }
            } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':')) {
                host = t.substring(0, t.indexOf(':'));
                port = Integer.parseInt(t.substring(t.indexOf(':') + 1));
            }
            if (port < 1 || port > 65535) throw new NumberFormatException();
            if (!org.vcrecovery.vcr.Names.isHost(host) && !org.vcrecovery.vcr.Names.isAddress(host)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            m.problem("trapper", "'" + t + "' is not host:port of the Zabbix trapper (e.g. 127.0.0.1:10051)");
            return null;
        }
        return new VcrConfig.Trapper(host, port);
    }
}
