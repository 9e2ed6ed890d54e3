package org.vcrecovery.vcr.zabbix.templates;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes maps, lists and strings as YAML in the shape of a Zabbix export: two-space indent,
 * {@code - key: value} list items, every scalar a string, quoted with single quotes unless it is
 * plainly safe for Symfony's YAML parser (which the Zabbix frontend uses), multi-line strings as
 * {@code |-} literal blocks. Deterministic: the same tree always gives the same bytes.
 */
final class YamlEmitter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9 _./()%,+-]*");
    private static final Pattern RESERVED = Pattern.compile(
            "(?i)y|n|yes|no|true|false|on|off|null|~");

    private final StringBuilder out = new StringBuilder();

    static String emit(Map<String, ?> root) {
        YamlEmitter e = new YamlEmitter();
        e.map(root, 0);
        return e.out.toString();
    }

    private void map(Map<String, ?> m, int indent) {
        for (Map.Entry<String, ?> en : m.entrySet()) {
            pad(indent);
            entry(en.getKey(), en.getValue(), indent);
        }
    }

    /** Writes a map whose first key goes on the current line (after "- "). */
    private void inlineMap(Map<String, ?> m, int indent) {
        boolean first = true;
        for (Map.Entry<String, ?> en : m.entrySet()) {
            if (!first) pad(indent);
            first = false;
            entry(en.getKey(), en.getValue(), indent);
        }
    }

    private void entry(String key, Object value, int indent) {
        out.append(scalarKey(key)).append(':');
        value(value, indent);
    }

    private void value(Object value, int indent) {
        if (value instanceof Map<?, ?> child) {
            out.append('\n');
            @SuppressWarnings("unchecked")
            Map<String, ?> c = (Map<String, ?>) child;
            map(c, indent + 2);
        } else if (value instanceof List<?> list) {
            out.append('\n');
            for (Object item : list) {
                pad(indent + 2);
                out.append("- ");
                if (item instanceof Map<?, ?> im) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> c = (Map<String, ?>) im;
                    inlineMap(c, indent + 4);
                } else {
                    scalar(String.valueOf(item), indent + 4);
                    out.append('\n');
                }
            }
        } else {
            out.append(' ');
            scalar(String.valueOf(value), indent + 2);
            out.append('\n');
        }
    }

    private void scalar(String s, int blockIndent) {
        if (s.indexOf('\n') >= 0) {
            out.append("|-");
            for (String line : s.split("\n", -1)) {
                out.append('\n');
                if (!line.isEmpty()) out.append(" ".repeat(blockIndent)).append(line);
            }
            return;
        }
        out.append(quoted(s));
    }

    static String quoted(String s) {
        if (PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches() && !s.endsWith(" ")) return s;
        return "'" + s.replace("'", "''") + "'";
    }

    private static String scalarKey(String k) {
        return quoted(k);
    }

    private void pad(int n) {
        out.append(" ".repeat(n));
    }
}
