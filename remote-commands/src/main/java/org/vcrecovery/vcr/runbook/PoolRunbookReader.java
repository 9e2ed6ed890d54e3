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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.vcr.config.SecretFile;
import org.vcrecovery.vcr.runbook.PoolRunbook.Member;
import org.vcrecovery.vcr.runbook.PoolRunbook.Policy;
import org.vcrecovery.vcr.runbook.Runbook.Check;
import org.vcrecovery.vcr.runbook.Runbook.Dns;
import org.vcrecovery.vcr.runbook.Runbook.Limits;
import org.vcrecovery.vcr.yaml.Problem;
import org.vcrecovery.vcr.yaml.YamlMap;
import org.vcrecovery.vcr.yaml.YamlTree;
import org.vcrecovery.vcr.yaml.YamlTree.ListNode;

/**
 * Reads and validates a pool runbook ({@code kind: pool}, see {@link PoolRunbook}). Every problem
 * is collected with its line and field and thrown together as an {@link InvalidRunbookException},
 * as {@link RunbookReader} does. Besides each field's own checks it refuses: a member address that
 * is not an IP literal, or used twice; a {@code min-active} above the number of members;
 * thresholds that overlap ({@code lower} above half of {@code upper}: growing from one active to
 * two halves the average, which must not land under {@code lower}, or the pool would flap); and a
 * {@code min-interval} shorter than the {@code window} (the average would still hold load from
 * before the last change).
 */
public final class PoolRunbookReader {
    /** The value of the top-level {@code kind} key that makes a runbook a pool's. */
    public static final String KIND = "pool";

    private PoolRunbookReader() {}

    /** Reads {@code file} after the same ownership check as {@link RunbookReader#read(Path)}. */
    public static PoolRunbook read(Path file) throws IOException, InvalidRunbookException {
        if (Files.exists(file)) SecretFile.requireProtected(file, "runbook");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such runbook");
        }
        return read(new StringReader(text), file);
    }

    /** True when {@code text} declares {@code kind: pool} at the top level (a cheap look, no parse). */
    public static boolean isPool(String text) {
        return text.lines().anyMatch(l -> l.matches("kind\\s*:\\s*[\"']?pool[\"']?\\s*(#.*)?"));
    }

    public static PoolRunbook read(Reader in, Path file) throws IOException, InvalidRunbookException {
        List<Problem> problems = new ArrayList<>();
        YamlTree tree;
        try {
            tree = YamlTree.read(in);
        } catch (YamlTree.YamlException e) {
            throw new InvalidRunbookException(List.of(new Problem(file, e.line(), "", "not valid YAML: " + e.getMessage())));
        }
        YamlMap root = YamlMap.root(tree, file, problems);
        PoolRunbook pool = root == null ? null : bind(root, file, problems);
        if (!problems.isEmpty() || pool == null) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new InvalidRunbookException(problems);
        }
        return pool;
    }

    private static PoolRunbook bind(YamlMap root, Path file, List<Problem> problems) {
        String kind = root.string("kind", true);
        if (kind != null && !kind.equals(KIND)) root.problem("kind", "'" + kind + "' is not pool (a recovery runbook has no kind key)");
        String service = name(root, "service", true);
        String zabbixHost = name(root, "zabbix-host", false);
        Dns dns = RunbookSections.dns(root.map("dns", true));
        List<Check> checks = RunbookSections.checks(root, root.list("checks", true));
        List<Member> members = members(root, root.list("members", true), dns);
        Policy policy = policy(root.map("pool", false), members);
        Limits limits = RunbookSections.limits(root.map("limits", false));
        root.finish();
        if (!problems.isEmpty() || dns == null || policy == null) return null;
        return new PoolRunbook(service, zabbixHost, members, checks, dns, policy, limits, file);
    }

    private static List<Member> members(YamlMap root, ListNode list, Dns dns) {
        List<Member> out = new ArrayList<>();
        if (list == null) return out;
        if (list.items().size() < 2) root.problem("members", "list at least two members (one active and one to grow into)");
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        Map<String, String> backends = RunbookReader.backends();
        for (int i = 0; i < list.items().size(); i++) {
            YamlMap m = root.item(list, "members", i);
            if (m == null) continue;
            String name = name(m, "name", true);
            String backend = m.choice("backend", true, backends);
            YamlMap opts = m.map("options", false);
            Map<String, String> options = opts == null ? Map.of() : opts.strings();
            if (opts != null && backend != null) {
                Set<String> accepted = BackendOptions.accepted(backend);
                for (String key : options.keySet()) {
                    if (accepted != null && !accepted.contains(key)) opts.problem(key, "backend " + backend + " has no option '" + key + "'");
                }
            }
            String target = name(m, "target", false);
            String address = m.string("address", true);
            m.finish();
            if (address != null && !Names.isAddress(address)) {
                m.problem("address", "'" + address + "' is not an IPv4 or IPv6 address literal (it is the member's value in the RRset: write the address)");
                address = null;
            }
            if (address != null && dns != null) {
                if (dns.type().equals("A") && !Names.isIpv4(address)) m.problem("address", address + " is not IPv4 but dns.type is A");
                if (dns.type().equals("AAAA") && !Names.isIpv6(address)) m.problem("address", address + " is not IPv6 but dns.type is AAAA");
            }
            if (name != null && !names.add(name)) m.problem("name", "'" + name + "' is used by an earlier member");
            if (address != null && !addresses.add(address)) m.problem("address", address + " is used by an earlier member");
            if (name != null && backend != null && address != null) {
                out.add(new Member(name, backend, options, target == null ? name : target, address));
            }
        }
        return out;
    }

    private static Policy policy(YamlMap m, List<Member> members) {
        int minActive = 1;
        int upper = Policy.DEFAULT_UPPER;
        Integer lower = null;
        Duration window = Policy.DEFAULT_WINDOW;
        Duration minInterval = Policy.DEFAULT_MIN_INTERVAL;
        if (m != null) {
            Integer min = m.integer("min-active", false, 1, 1000);
            Integer up = percent(m, "upper");
            lower = percent(m, "lower");
            Duration w = m.duration("window", Duration.ofSeconds(1), Duration.ofHours(1));
            Duration gap = m.duration("min-interval", Duration.ZERO, Duration.ofHours(24));
            m.finish();
            if (min != null) minActive = min;
            if (up != null) upper = up;
            if (w != null) window = w;
            if (gap != null) minInterval = gap;
            if (min != null && !members.isEmpty() && min >= members.size()) {
                m.problem("min-active", min + " is not below the " + members.size() + " members: the pool could never grow"
                        + " (list more members or lower min-active)");
                return null;
            }
            if (up != null && up < 2) {
                m.problem("upper", up + "% leaves no room for a lower threshold under it");
                return null;
            }
            if (lower != null && lower >= upper) {
                m.problem("lower", "lower " + lower + "% is not below upper " + upper + "%: the thresholds overlap");
                return null;
            }
            if (lower != null && lower * 2 > upper) {
                m.problem("lower", "lower " + lower + "% is above half of upper " + upper + "%: the thresholds overlap (growing from"
                        + " one active to two halves the average to " + (upper / 2.0) + "%, under lower, and the pool would shrink"
                        + " straight back); keep lower <= " + (upper / 2) + "%");
                return null;
            }
            if (gap != null && gap.compareTo(window) < 0) {
                m.problem("min-interval", "min-interval " + gap.toSeconds() + "s is shorter than window " + window.toSeconds()
                        + "s: the moving average would still hold load from before the last change");
                return null;
            }
        }
        return new Policy(minActive, upper, lower == null ? upper / 2 : lower, window, minInterval);
    }

    /** A percentage 0..100, written {@code 70%} or {@code 70}. */
    private static Integer percent(YamlMap m, String key) {
        String s = m.string(key, false);
        if (s == null) return null;
        String digits = s.strip().endsWith("%") ? s.strip().substring(0, s.strip().length() - 1).strip() : s.strip();
        try {
            int v = Integer.parseInt(digits);
            if (v >= 0 && v <= 100) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        m.problem(key, "'" + s + "' is not a percentage from 0% to 100% (of one member's capacity)");
        return null;
    }

    private static String name(YamlMap m, String key, boolean required) {
        String s = m.string(key, required);
        if (s != null && !Names.isName(s)) {
            m.problem(key, "'" + s + "' is not a valid name: letters, digits, '_', '.', '-', starting with a letter or digit");
            return null;
        }
        return s;
    }
}
