package org.vcrecovery.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Parsing and normalising of names and record values; every failure names the field. */
final class DnsNames {
    private DnsNames() {}

    /** A zone name as an absolute, lower-case name. */
    static Name zone(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("zone: missing");
        String t = text.trim();
        try {
            Name n = Name.fromString(t.endsWith(".") ? t : t + ".");
            return lower(n);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("zone: " + text + " is not a domain name (" + e.getMessage() + ")");
        }
    }

    /**
     * A name as written by an operator, made absolute: with a trailing dot it is absolute; without,
     * it is relative to {@code origin} unless it already ends with the origin's name; {@code @} is
     * the origin itself.
     */
    static Name absolute(String field, String text, Name origin) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException(field + ": missing");
        String t = text.trim();
        if (t.equals("@")) return origin;
        try {
            Name n;
            if (t.endsWith(".")) {
                n = Name.fromString(t);
            } else {
                Name asAbsolute = Name.fromString(t + ".");
                n = asAbsolute.subdomain(origin) ? asAbsolute : Name.fromString(t, origin);
            }
            return lower(n);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(field + ": " + text + " is not a domain name (" + e.getMessage() + ")");
        }
    }

    /** A record value checked for its type and written in one canonical form for comparisons. */
    static String value(String field, RecordType type, String text, Name origin) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException(field + ": empty value");
        String t = text.trim();
        return switch (type) {
            case A -> {
                byte[] b = Address.toByteArray(t, Address.IPv4);
                if (b == null) throw new IllegalArgumentException(field + ": " + text + " is not an IPv4 address");
                yield Address.toDottedQuad(b);
            }
            case AAAA -> {
                byte[] b = t.contains(":") ? Address.toByteArray(t, Address.IPv6) : null;
                if (b == null) throw new IllegalArgumentException(field + ": " + text + " is not an IPv6 address");
                yield ipv6(b);
            }
            case CNAME -> absolute(field, t, origin).toString();
        };
    }

    /** An address as InetAddress without any lookup (the value is already canonical). */
    static InetAddress address(String canonical, RecordType type) {
        byte[] b = Address.toByteArray(canonical, type == RecordType.A ? Address.IPv4 : Address.IPv6);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address: " + canonical, e);
        }
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
    static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static Name lower(Name n) throws TextParseException {
        return Name.fromString(n.toString().toLowerCase(Locale.ROOT));
    }
}
