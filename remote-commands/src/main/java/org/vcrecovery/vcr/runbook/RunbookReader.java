package org.vcrecovery.vcr.runbook;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.vcr.config.SecretFile;
import org.vcrecovery.vcr.runbook.Runbook.Check;
import org.vcrecovery.vcr.runbook.Runbook.Dns;
import org.vcrecovery.vcr.runbook.Runbook.Fencing;
import org.vcrecovery.vcr.runbook.Runbook.FencingMode;
import org.vcrecovery.vcr.ladder.LadderAction;
import org.vcrecovery.vcr.ladder.LadderAction.Needs;
import org.vcrecovery.vcr.ladder.LadderStep;
import org.vcrecovery.vcr.runbook.Runbook.Limits;
import org.vcrecovery.vcr.runbook.Runbook.Primary;
import org.vcrecovery.vcr.runbook.Runbook.Standby;
import org.vcrecovery.vcr.runbook.Runbook.StandbyKind;
import org.vcrecovery.vcr.standby.StandbyBackendFactory.Guest;
import org.vcrecovery.vcr.yaml.Problem;
import org.vcrecovery.vcr.yaml.YamlMap;
import org.vcrecovery.vcr.yaml.YamlTree.ListNode;
import org.vcrecovery.vcr.yaml.YamlTree;

/**
 * Reads and validates a runbook. Every problem in the file is collected (with line and field)
 * and thrown together as an {@link InvalidRunbookException}; a runbook that comes back is
 * complete and consistent (kinds match backends, addresses match the record type, the ladder
 * ends in failover, ...). I/O failures are {@link IOException}s.
 */
public final class RunbookReader {
    static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(1);

    private RunbookReader() {}

    /**
     * Reads {@code file} after checking that only root and the user running vcr can change it
     * (see {@link SecretFile#requireProtected}: a runbook decides what vcr destroys).
     */
    public static Runbook read(Path file) throws IOException, InvalidRunbookException {
        String text;
        if (Files.exists(file)) SecretFile.requireProtected(file, "runbook");
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such runbook");
        }
        return read(new StringReader(text), file);
    }

    public static Runbook read(Reader in, Path file) throws IOException, InvalidRunbookException {
        List<Problem> problems = new ArrayList<>();
        YamlTree tree;
        try {
            tree = YamlTree.read(in);
        } catch (YamlTree.YamlException e) {
            throw new InvalidRunbookException(List.of(new Problem(file, e.line(), "", "not valid YAML: " + e.getMessage())));
        }
        YamlMap root = YamlMap.root(tree, file, problems);
        Runbook rb = root == null ? null : new RunbookReader.Binder(root, file, problems).runbook();
        if (!problems.isEmpty() || rb == null) {
            problems.sort(java.util.Comparator.comparingInt(Problem::line));
            throw new InvalidRunbookException(problems);
        }
        return rb;
    }

    private static final class Binder {
        private final YamlMap root;
        private final Path file;
        private final List<Problem> problems;

        Binder(YamlMap root, Path file, List<Problem> problems) {
            this.root = root;
            this.file = file;
            this.problems = problems;
        }

        Runbook runbook() {
            String kind = root.string("kind", false);
            if (PoolRunbookReader.KIND.equals(kind)) {
                root.problem("kind", "this is a pool runbook (kind: pool): `vcr pool` runs it, not `vcr recover`");
                return null;
            }
            if (kind != null) root.problem("kind", "'" + kind + "' is not pool (a recovery runbook needs no kind key)");
            String service = name(root, "service", true);
            String zabbixHost = name(root, "zabbix-host", true);
            Primary primary = primary(root.map("primary", true));
            Dns dns = RunbookSections.dns(root.map("dns", true));
            List<Check> checks = RunbookSections.checks(root, root.list("checks", true));
            List<Standby> standbys = standbys(root.list("standbys", true), dns);
            Fencing fencing = fencing(root.map("fencing", false), primary);
            List<LadderStep> ladder = ladder(root.list("ladder", false), primary);
            Limits limits = RunbookSections.limits(root.map("limits", false));
            root.finish();
            if (primary != null && dns != null) addressMatches(root, "primary", primary.address(), dns.type());
            if (!problems.isEmpty()) return null;
            return new Runbook(service, zabbixHost, primary, standbys, checks, dns, fencing, ladder, limits, file);
        }

        String name(YamlMap m, String key, boolean required) {
            String s = m.string(key, required);
            if (s != null && !Names.isName(s)) {
                m.problem(key, "'" + s + "' is not a valid name: letters, digits, '_', '.', '-', starting with a letter or digit");
                return null;
            }
            return s;
        }

        String address(YamlMap m, String key, boolean required) {
            String s = m.string(key, required);
            if (s != null && !Names.isAddress(s)) {
                m.problem(key, "'" + s + "' is not an IPv4 or IPv6 address (a name would need a lookup: write the address)");
                return null;
            }
            return s;
        }

        Primary primary(YamlMap m) {
            if (m == null) return null;
            List<String> vms = BackendOptions.running(Guest.VM); // the primary is a VM: a backend that runs VMs fences it
            String backend = m.choice("backend", vms.size() != 1, ordered(vms.toArray(String[]::new)));
            String uri = m.string("uri", false);
            String domain = name(m, "domain", false);
            String address = address(m, "address", true);
            String kvmHost = name(m, "kvm-host", false);
            if (domain != null && uri == null) m.problem("uri", "missing: a domain needs the libvirt URI of its host (e.g. qemu:///system)");
            if (domain == null && uri != null) m.problem("domain", "missing: uri is set but no domain names the primary VM");
            m.finish();
            if (address == null) return null;
            if (backend == null && vms.size() != 1) return null;
            return new Primary(backend == null ? vms.get(0) : backend, uri, domain, address, kvmHost);
        }

        List<Standby> standbys(ListNode list, Dns dns) {
            List<Standby> out = new ArrayList<>();
            if (list == null) return out;
            if (list.items().isEmpty()) root.problem("standbys", "empty: list at least one standby");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                YamlMap m = root.item(list, "standbys", i);
                if (m == null) continue;
                String name = name(m, "name", true);
                StandbyKind kind = m.choice("kind", true, kinds());
                String backend = m.choice("backend", true, backends());
                YamlMap opts = m.map("options", false);
                Map<String, String> options = opts == null ? Map.of() : opts.strings();
                if (opts != null && backend != null) checkOptions(opts, backend, options);
                String target = name(m, "target", false);
                String address = address(m, "address", false);
                Integer port = m.integer("port", false, 1, 65535);
                String zabbixHost = name(m, "zabbix-host", false);
                m.finish();
                if (name != null && !names.add(name)) m.problem("name", "'" + name + "' is used by an earlier standby");
                if (kind != null && backend != null && !BackendOptions.factory(backend).guests().contains(kind.guest())) {
                    List<String> fit = BackendOptions.running(kind.guest());
                    m.problem("backend", kind.yaml() + " needs a " + kind.guest().name().toLowerCase(java.util.Locale.ROOT)
                            + " backend (" + String.join(", ", fit) + "), not " + backend);
                }
                if (address != null && dns != null) addressMatches(m, "address", address, dns.type());
                if (name != null && kind != null && backend != null) {
                    out.add(new Standby(name, kind, backend, options, target == null ? name : target, address,
                            port == null ? 0 : port, zabbixHost));
                }
            }
            return out;
        }

        Fencing fencing(YamlMap m, Primary primary) {
            FencingMode mode = null;
            Boolean allow = null;
            if (m != null) {
                mode = m.choice("mode", false, modes());
                allow = m.bool("allow-unfenced");
                m.finish();
            }
            if (mode == null) mode = primary != null && primary.domain() == null ? FencingMode.VERIFY_DEAD : FencingMode.DESTROY;
            if (mode != FencingMode.VERIFY_DEAD && primary != null && primary.domain() == null) {
                problems.add(new Problem(file, m == null ? root.line() : m.line("mode"), "fencing.mode",
                        mode.yaml() + " needs primary.domain and primary.uri (the VM to " + mode.yaml() + ")"));
            }
            return new Fencing(mode, allow != null && allow);
        }

        List<LadderStep> ladder(ListNode list, Primary primary) {
            List<LadderStep> out = new ArrayList<>();
            if (list == null) return out;
            Map<String, LadderAction> actions = actions();
            for (int i = 0; i < list.items().size(); i++) {
                LadderAction action;
                String script = null;
                Duration wait = null;
                String field = "ladder[" + i + "]";
                int line = list.items().get(i).line();
                if (list.items().get(i) instanceof YamlTree.Scalar) {
                    String s = root.scalarItem(list, "ladder", i);
                    action = s == null ? null : actions.get(s);
                    if (s != null && action == null) {
                        root.problemAt(line, field, "'" + s + "' is not one of " + String.join(", ", actions.keySet())
                                + YamlMap.didYouMean(s, actions.keySet()));
                    }
                } else {
                    YamlMap m = root.item(list, "ladder", i);
                    if (m == null) continue;
                    action = m.choice("action", true, actions);
                    script = m.string("script", false);
                    wait = m.duration("wait", Duration.ZERO, Duration.ofMinutes(10));
                    m.finish();
                    if (script != null && action != null && action.needs() != Needs.SCRIPT) {
                        m.problem("script", "only " + String.join(" and ", actions.values().stream()
                                .filter(a -> a.needs() == Needs.SCRIPT).map(LadderAction::yaml).toList()) + " runs a script");
                    }
                }
                if (action == null) continue;
                if (action.needs() == Needs.SCRIPT && (script == null || script.isBlank() || script.length() > 255)) {
                    root.problemAt(line, field + ".script", "missing: " + action.yaml() + " needs the name of the Zabbix script to run on the primary host");
                }
                if (action.needs() == Needs.DOMAIN && primary != null && primary.domain() == null) {
                    root.problemAt(line, field, action.yaml() + " needs primary.domain and primary.uri");
                }
                if (action == LadderAction.FAILOVER && i != list.items().size() - 1) {
                    root.problemAt(line, field, "failover must be the last rung (nothing after it would run)");
                }
                out.add(new LadderStep(action, script, wait == null ? action.defaultWait() : wait));
            }
            boolean failover = out.stream().anyMatch(r -> r.action() == LadderAction.FAILOVER);
            if (!out.isEmpty() && !failover) {
                root.problemAt(list.line(), "ladder", "must end with failover (write '- failover' as the last rung)");
            }
            return out;
        }

        /** Options the backend does not accept (asked of the installed backend factory, when there is one). */
        void checkOptions(YamlMap opts, String backend, Map<String, String> options) {
            java.util.Set<String> accepted = BackendOptions.accepted(backend);
            if (accepted == null) return;
            for (String key : options.keySet()) {
                if (!accepted.contains(key)) {
                    opts.problem(key, "backend " + backend + " has no option '" + key + "'"
                            + YamlMap.didYouMean(key, accepted) + " (it accepts: " + String.join(", ", new java.util.TreeSet<>(accepted)) + ")");
                }
            }
        }

        void addressMatches(YamlMap m, String key, String address, String type) {
            if (type.equals("A") && !Names.isIpv4(address)) m.problem(key, address + " is not IPv4 but dns.type is A");
            if (type.equals("AAAA") && !Names.isIpv6(address)) m.problem(key, address + " is not IPv6 but dns.type is AAAA");
        }
    }

    private static Duration or(Duration d, Duration dflt) {
        return d == null ? dflt : d;
    }

    static Map<String, String> ordered(String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) m.put(v, v);
        return m;
    }

    /** The installed standby backends, by name (sorted): the factories say which exist. */
    static Map<String, String> backends() {
        return ordered(BackendOptions.installed().names().stream().sorted().toArray(String[]::new));
    }

    static Map<String, StandbyKind> kinds() {
        Map<String, StandbyKind> m = new LinkedHashMap<>();
        for (StandbyKind k : StandbyKind.values()) m.put(k.yaml(), k);
        return m;
    }

    static Map<String, FencingMode> modes() {
        Map<String, FencingMode> m = new LinkedHashMap<>();
        for (FencingMode k : FencingMode.values()) m.put(k.yaml(), k);
        return m;
    }

    static Map<String, LadderAction> actions() {
        Map<String, LadderAction> m = new LinkedHashMap<>();
        for (LadderAction k : LadderAction.values()) m.put(k.yaml(), k);
        return m;
    }
}
