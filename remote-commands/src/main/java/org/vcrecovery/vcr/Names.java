package org.vcrecovery.vcr;

import java.util.regex.Pattern;

/**
 * The shapes of names and addresses vcr accepts from runbooks and from the command line (where
 * they come from Zabbix macros and are untrusted). Nothing here resolves a name.
 */
public final class Names {
    /** Services, standbys, domains, containers, Zabbix host names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

    private Names() {}

    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    public static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    /** An IPv6 literal (checked by the JDK's literal parser, which never does a lookup here). */
    public static boolean isIpv6(String s) {
        if (s == null || !s.contains(":") || !IPV6.matcher(s).matches()) return false;
        try {
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public static boolean isAddress(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** A host name or address literal (for DNS servers and URLs). */
    public static boolean isHost(String s) {
        return s != null && (isAddress(s) || HOST.matcher(s).matches());
    }
}
