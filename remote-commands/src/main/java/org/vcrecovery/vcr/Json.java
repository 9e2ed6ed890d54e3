package org.vcrecovery.vcr;

import java.util.List;

/**
 * A minimal streaming JSON writer for the one-line JSON that {@code vcr} commands print and
 * audit: no library on the hot path of a fresh process (Jackson stays off {@code vcr dns},
 * {@code check-port} and {@code recover}). The caller writes objects and arrays in order
 * ({@code open()...close()}); nothing is validated, so unbalanced calls give unbalanced JSON.
 * Strings are escaped per RFC 8259: {@code \" \\ \n \r \t} by name, other control characters,
 * DEL, U+2028 and U+2029 as backslash-u escapes; a null string is written as {@code null}.
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder(256);
    private boolean first = true;

    /** Starts an object (as an array element, or at the top). */
    public Json open() {
        comma();
        sb.append('{');
        first = true;
        return this;
    }

    /** Starts an object as the value of {@code key}. */
    public Json openObject(String key) {
        key(key);
        sb.append('{');
        first = true;
        return this;
    }

    /** Ends the current object. */
    public Json close() {
        sb.append('}');
        first = false;
        return this;
    }

    /** Starts an array as the value of {@code key}. */
    public Json openArray(String key) {
        key(key);
        sb.append('[');
        first = true;
        return this;
    }

    /** Ends the current array. */
    public Json closeArray() {
        sb.append(']');
        first = false;
        return this;
    }

    public Json field(String key, String value) {
        key(key);
        quote(value);
        first = false;
        return this;
    }

    public Json field(String key, long value) {
        key(key);
        sb.append(value);
        first = false;
        return this;
    }

    public Json field(String key, boolean value) {
        key(key);
        sb.append(value);
        first = false;
        return this;
    }

    /** {@code key} with an array of strings. */
    public Json field(String key, List<String> values) {
        openArray(key);
        for (String v : values) value(v);
        return closeArray();
    }

    /** A string as an array element. */
    public Json value(String s) {
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
        if (s == null) {
            sb.append("null");
            return;
        }
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
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
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
