package org.vcrecovery.vcr.recover;

/**
 * A minimal JSON writer for reports and audit lines: no library on the hot path of a fresh
 * process. Strings are escaped per RFC 8259 (control characters as backslash-u escapes).
 */
final class Json {
    private final StringBuilder sb = new StringBuilder(512);
    private boolean first = true;

    Json open() {
        comma();
        sb.append('{');
        first = true;
        return this;
    }

    Json close() {
        sb.append('}');
        first = false;
        return this;
    }

    Json openArray(String key) {
        key(key);
        sb.append('[');
        first = true;
        return this;
    }

    Json closeArray() {
        sb.append(']');
        first = false;
        return this;
    }

    Json field(String key, String value) {
        key(key);
        if (value == null) sb.append("null");
        else quote(value);
        first = false;
        return this;
    }

    Json field(String key, long value) {
        key(key);
        sb.append(value);
        first = false;
        return this;
    }

    Json field(String key, boolean value) {
        key(key);
        sb.append(value);
        first = false;
        return this;
    }

    Json value(String s) {
        comma();
        quote(s);
        first = false;
        return this;
    }

    private void key(String key) {
        comma();
        quote(key);
        sb.append(':');
        first = true;
    }

    private void comma() {
        if (!first) sb.append(',');
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
