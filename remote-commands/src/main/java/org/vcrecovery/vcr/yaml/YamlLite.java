package org.vcrecovery.vcr.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.yaml.YamlTree.Entry;
import org.vcrecovery.vcr.yaml.YamlTree.ListNode;
import org.vcrecovery.vcr.yaml.YamlTree.MapNode;
import org.vcrecovery.vcr.yaml.YamlTree.Node;
import org.vcrecovery.vcr.yaml.YamlTree.Scalar;

/**
 * The fast path of {@link YamlTree}: a strict reader for the block-style YAML that runbooks and
 * the config file are written in (nested {@code key: value} mappings, {@code - } sequences,
 * plain, single- and double-quoted scalars without escapes, comments). It exists because a
 * fresh {@code vcr} process would otherwise load SnakeYAML and Jackson's YAML module (~160
 * classes) on every recovery.
 *
 * <p>It never guesses: anything outside that subset (flow collections, anchors, tags, block
 * scalars, escapes, tabs, odd indentation, keys that are not plain words, a value containing
 * {@code ": "}) makes {@link #parse} return null, and the caller falls back to the full parser,
 * which also produces every syntax error. A unit test checks that both produce the same tree.
 */
final class YamlLite {
    private static final Pattern KEY = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_.\\-]*):(?: +(.*))?");

    private record Line(int number, int indent, String text) {}

    private static final class Bail extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bail() {
            super(null, null, false, false);
        }
    }

    private final List<Line> lines;
    private final List<Entry> duplicates = new ArrayList<>();
    private int pos;

    private YamlLite(List<Line> lines) {
        this.lines = lines;
    }

    /** The tree of {@code text}, or null when it is not in the subset this reader handles. */
    static YamlTree parse(String text) {
        List<Line> lines = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
            int indent = 0;
            while (indent < l.length() && l.charAt(indent) == ' ') indent++;
            String rest = stripComment(l.substring(indent));
            if (rest == null) return null;
            if (rest.isEmpty()) continue;
            if (rest.indexOf('\t') >= 0 || rest.startsWith("---") || rest.startsWith("...") || rest.startsWith("%")) {
                if (rest.equals("---") && lines.isEmpty()) continue;
                return null;
            }
            lines.add(new Line(i + 1, indent, rest));
        }
        YamlLite p = new YamlLite(lines);
        try {
            if (lines.isEmpty()) return new YamlTree(new Scalar(null, 1), List.of());
            Node root = p.block(lines.get(0).indent);
            if (p.pos != lines.size()) return null;
            return new YamlTree(root, p.duplicates);
        } catch (Bail e) {
            return null;
        }
    }

    /** The line without its comment and trailing blanks; null when quotes make that uncertain. */
    private static String stripComment(String s) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
            else if (c == '#' && !single && !dbl && (i == 0 || s.charAt(i - 1) == ' ')) return s.substring(0, i).stripTrailing();
        }
        if (single || dbl) return null;
        return s.stripTrailing();
    }

    private Line line() {
        return pos < lines.size() ? lines.get(pos) : null;
    }

    private Node block(int indent) {
        Line l = line();
        if (l == null || l.indent != indent) throw new Bail();
        if (isItem(l.text)) return sequence(indent);
        if (KEY.matcher(l.text).matches()) return mapping(indent);
        throw new Bail();
    }

    private static boolean isItem(String t) {
        return t.equals("-") || t.startsWith("- ");
    }

    private MapNode mapping(int indent) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int first = line().number;
        while (line() != null && line().indent >= indent) {
            Line l = line();
            if (l.indent != indent) throw new Bail();
            Matcher m = KEY.matcher(l.text);
            if (!m.matches()) throw new Bail();
            pos++;
            String rest = m.group(2);
            Node value;
            if (rest != null && !rest.isEmpty()) {
                value = scalar(rest, l.number);
            } else {
                Line next = line();
                if (next != null && next.indent > indent) value = block(next.indent);
                else if (next != null && next.indent == indent && isItem(next.text)) value = sequence(indent);
                else value = new Scalar(null, l.number);
            }
            Entry e = new Entry(m.group(1), l.number, value);
            if (entries.containsKey(e.key())) duplicates.add(e);
            else entries.put(e.key(), e);
        }
        return new MapNode(entries, first);
    }

    private ListNode sequence(int indent) {
        List<Node> items = new ArrayList<>();
        int first = line().number;
        while (line() != null && line().indent == indent && isItem(line().text)) {
            Line l = line();
            String rest = l.text.length() > 1 ? l.text.substring(2) : "";
            int offset = 2;
            while (rest.startsWith(" ")) {
                rest = rest.substring(1);
                offset++;
            }
            if (rest.isEmpty()) {
                pos++;
                Line next = line();
                items.add(next != null && next.indent > indent ? block(next.indent) : new Scalar(null, l.number));
            } else if (isItem(rest)) {
                throw new Bail();
            } else if (KEY.matcher(rest).matches()) {
                // "- key: value": a mapping whose keys are aligned with this first one
                lines.set(pos, new Line(l.number, indent + offset, rest));
                items.add(mapping(indent + offset));
            } else {
                pos++;
                items.add(scalar(rest, l.number));
            }
        }
        if (line() != null && line().indent > indent) throw new Bail();
        return new ListNode(items, first);
    }

    private static Scalar scalar(String s, int line) {
        char c = s.charAt(0);
        if (c == '"' || c == '\'') {
            if (s.length() < 2 || s.charAt(s.length() - 1) != c) throw new Bail();
            String inner = s.substring(1, s.length() - 1);
            if (inner.indexOf(c) >= 0 || c == '"' && inner.indexOf('\\') >= 0) throw new Bail();
            return new Scalar(inner, line);
        }
        if ("[]{}&*!|>%@`,?".indexOf(c) >= 0 || c == '-' && s.length() > 1 && s.charAt(1) == ' ') throw new Bail();
        if (s.contains(": ") || s.endsWith(":") || s.contains(" #")) throw new Bail();
        if (s.equals("~") || s.equals("null") || s.equals("Null") || s.equals("NULL")) return new Scalar(null, line);
        return new Scalar(s, line);
    }
}
