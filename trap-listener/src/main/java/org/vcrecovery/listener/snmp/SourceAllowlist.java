package org.vcrecovery.listener.snmp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The trap sources the listener accepts ({@code snmp.sources}): literal IPv4/IPv6 addresses and
 * CIDR blocks, never host names (no DNS lookup decides what is trusted). Empty means every
 * source; the community or v3 user still has to match. Immutable and thread-safe.
 *
 * @param blocks the accepted networks
 */
public record SourceAllowlist(List<Block> blocks) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    public static final SourceAllowlist ANY = new SourceAllowlist(List.of());

    public SourceAllowlist {
        blocks = List.copyOf(blocks);
    }

    /** One network: its address with the host bits cleared, and the prefix length. */
    public record Block(InetAddress network, int prefix) {
        public Block {
            Objects.requireNonNull(network, "network == null");
            if (prefix < 0 || prefix > network.getAddress().length * 8) throw new IllegalArgumentException("prefix " + prefix);
        }

        boolean contains(byte[] a) {
            byte[] n = network.getAddress();
            if (a.length != n.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (a[i] != n[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (n[full] & mask);
        }

        @Override
        public String toString() {
            return network.getHostAddress() + "/" + prefix;
        }
    }

    /**
     * Parses {@code 192.0.2.10}, {@code 192.0.2.0/24}, {@code 2001:db8::/32}; throws
     * IllegalArgumentException saying what is wrong with {@code s}.
     */
    public static Block parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!IPV4.matcher(addr).matches() && !IPV6.matcher(addr).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address or CIDR block (host names are not allowed)");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(addr); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "' is not an IP address or CIDR block");
        }
        int bits = a.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("'" + s + "' has a prefix length outside 0.." + bits);
        }
        byte[] n = a.getAddress();
        for (int i = 0; i < n.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            n[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new Block(InetAddress.getByAddress(n), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    /** True when the list is empty or one block contains {@code source}. */
    public boolean allows(InetAddress source) {
        if (blocks.isEmpty()) return true;
        byte[] a = source.getAddress();
        for (Block b : blocks) if (b.contains(a)) return true;
        return false;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "any" : blocks.toString();
    }
}
