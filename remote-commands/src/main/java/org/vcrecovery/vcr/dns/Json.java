package org.vcrecovery.vcr.dns;

import java.util.List;

/** Just enough JSON writing for one flat object per run, so {@code vcr dns} needs no Jackson. */
final class Json {
    private final StringBuilder sb = new StringBuilder("{");

    Json field(String name, String value) {
        key(name);
        if (value == null) sb.append("null");
        else quote(value);
        return this;
    }

    Json field(String name, long value) {
        key(name);
        sb.append(value);
        return this;
    }

    Json field(String name, boolean value) {
        key(name);
        sb.append(value);
        return this;
    }

    Json field(String name, List<String> values) {
        key(name);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            quote(values.get(i));
        }
        sb.append(']');
        return this;
    }

    /** A nested object already rendered by another {@code Json}. */
    Json field(String name, Json nested) {
        key(name);
        sb.append(nested);
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    private void key(String name) {
        if (sb.length() > 1) sb.append(',');
        quote(name);
        sb.append(':');
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
