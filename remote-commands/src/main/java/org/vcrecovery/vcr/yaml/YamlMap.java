package org.vcrecovery.vcr.yaml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.yaml.YamlTree.Entry;
import org.vcrecovery.vcr.yaml.YamlTree.ListNode;
import org.vcrecovery.vcr.yaml.YamlTree.MapNode;
import org.vcrecovery.vcr.yaml.YamlTree.Node;
import org.vcrecovery.vcr.yaml.YamlTree.Scalar;

/**
 * Typed, validating access to one YAML mapping. Every problem (missing, wrong type, out of range,
 * unknown key with a "did you mean" hint) is added to a shared list with file, line and field
 * path instead of thrown, so a whole file is checked in one pass. Getters return null when the
 * key is absent or its value is wrong.
 */
public final class YamlMap {
    private final MapNode node;
    private final String path;
    private final Path file;
    private final List<Problem> problems;
    private final Set<String> known = new LinkedHashSet<>();

    public YamlMap(MapNode node, String path, Path file, List<Problem> problems) {
        this.node = node;
        this.path = path;
        this.file = file;
        this.problems = problems;
    }

    /** The mapping at the root of {@code tree}, or null (with a problem) when the root is not one. */
    public static YamlMap root(YamlTree tree, Path file, List<Problem> problems) {
        for (Entry dup : tree.duplicates()) {
            problems.add(new Problem(file, dup.keyLine(), dup.key(), "written twice (the second one would be ignored)"));
        }
        if (tree.root() instanceof MapNode m) return new YamlMap(m, "", file, problems);
        problems.add(new Problem(file, tree.root().line(), "", "expected a mapping of keys (key: value lines)"));
        return null;
    }

    public int line() {
        return node.line();
    }

    public int line(String key) {
        Entry e = node.entries().get(key);
        return e == null ? node.line() : e.keyLine();
    }

    public boolean has(String key) {
        known.add(key);
        Entry e = node.entries().get(key);
        return e != null && !(e.value() instanceof Scalar s && s.text() == null);
    }

    /** The field path of {@code key}, such as {@code standbys[0].kind}. */
    public String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public void problem(String key, String message) {
        problems.add(new Problem(file, line(key), field(key), message));
    }

    public void problemAt(int line, String field, String message) {
        problems.add(new Problem(file, line, field, message));
    }

    public String string(String key, boolean required) {
        known.add(key);
        Entry e = node.entries().get(key);
        if (e == null || e.value() instanceof Scalar s && s.text() == null) {
            if (required) problems.add(new Problem(file, node.line(), field(key), "missing (required)"));
            return null;
        }
        if (e.value() instanceof Scalar s) return s.text();
        problem(key, "expected a single value, found a " + kind(e.value()));
        return null;
    }

    public Integer integer(String key, boolean required, int min, int max) {
        String s = string(key, required);
        if (s == null) return null;
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(key, "'" + s + "' is not a whole number from " + min + " to " + max);
        return null;
    }

    public Boolean bool(String key) {
        String s = string(key, false);
        if (s == null) return null;
        if (s.equals("true") || s.equals("false")) return Boolean.valueOf(s);
        problem(key, "'" + s + "' is not true or false");
        return null;
    }

    public Duration duration(String key, Duration min, Duration max) {
        String s = string(key, false);
        if (s == null) return null;
        try {
            return Durations.parse(s, min, max);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    /** One of {@code choices} (by its YAML spelling); a near miss gets a suggestion. */
    public <E> E choice(String key, boolean required, Map<String, E> choices) {
        String s = string(key, required);
        if (s == null) return null;
        E v = choices.get(s);
        if (v == null) {
            problem(key, "'" + s + "' is not one of " + String.join(", ", choices.keySet()) + didYouMean(s, choices.keySet()));
        }
        return v;
    }

    public YamlMap map(String key, boolean required) {
        known.add(key);
        Entry e = node.entries().get(key);
        if (e == null || e.value() instanceof Scalar s && s.text() == null) {
            if (required) problems.add(new Problem(file, node.line(), field(key), "missing (required)"));
            return null;
        }
        if (e.value() instanceof MapNode m) return new YamlMap(m, field(key), file, problems);
        problem(key, "expected a mapping (key: value lines), found a " + kind(e.value()));
        return null;
    }

    public ListNode list(String key, boolean required) {
        known.add(key);
        Entry e = node.entries().get(key);
        if (e == null || e.value() instanceof Scalar s && s.text() == null) {
            if (required) problems.add(new Problem(file, node.line(), field(key), "missing (required)"));
            return null;
        }
        if (e.value() instanceof ListNode l) return l;
        problem(key, "expected a list ('- ' items), found a " + kind(e.value()));
        return null;
    }

    /** The mapping item {@code i} of list {@code key}, or null (with a problem) when it is not one. */
    public YamlMap item(ListNode list, String key, int i) {
        Node n = list.items().get(i);
        String f = field(key) + "[" + i + "]";
        if (n instanceof MapNode m) return new YamlMap(m, f, file, problems);
        problems.add(new Problem(file, n.line(), f, "expected a mapping (key: value lines), found a " + kind(n)));
        return null;
    }

    /** All keys as strings, for free-form maps such as backend options. */
    public Map<String, String> strings() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Entry e : node.entries().values()) {
            known.add(e.key());
            if (e.value() instanceof Scalar s && s.text() != null) out.put(e.key(), s.text());
            else problem(e.key(), "expected a single value, found a " + kind(e.value()));
        }
        return out;
    }

    /** Reports every key no getter asked for as unknown, with the nearest known key. */
    public void finish() {
        for (Entry e : node.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(new Problem(file, e.keyLine(), field(e.key()),
                        "unknown key" + didYouMean(e.key(), known) + " (known: " + String.join(", ", known) + ")"));
            }
        }
    }

    static String kind(Node n) {
        if (n instanceof MapNode) return "mapping";
        if (n instanceof ListNode) return "list";
        return "value";
    }

    /** {@code " (did you mean X?)"} for the closest candidate within a small edit distance, else "". */
    public static String didYouMean(String s, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(s.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(1, Math.min(3, s.length() / 3));
        return best != null && bestDistance <= limit ? " (did you mean " + best + "?)" : "";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Scalar text of a list item, or null (with a problem) when the item is not a scalar. */
    public String scalarItem(ListNode list, String key, int i) {
        Node n = list.items().get(i);
        if (n instanceof Scalar s && s.text() != null) return s.text();
        problems.add(new Problem(file, n.line(), field(key) + "[" + i + "]", "expected a single value, found a " + kind(n)));
        return null;
    }

    List<String> knownKeys() {
        return new ArrayList<>(known);
    }
}
