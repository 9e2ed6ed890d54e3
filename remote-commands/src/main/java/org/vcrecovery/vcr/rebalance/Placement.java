package org.vcrecovery.vcr.rebalance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * Where one service runs now, as its DNS record says: {@code serving} is the runbook's standby
 * whose address the record holds (null: the primary's, or nobody's of this runbook), and
 * {@code dns} the record's values as read (empty when the record is absent or was not read).
 */
record Placement(Runbook runbook, Runbook.Standby serving, List<String> dns) {
    Placement {
        Objects.requireNonNull(runbook, "runbook == null");
        dns = List.copyOf(dns);
    }

    /** The placement of {@code rb} given its record's {@code values}: the standby holding the one value, if any. */
    static Placement of(Runbook rb, List<String> values) {
        if (values.size() != 1) return new Placement(rb, null, values);
        for (Runbook.Standby s : rb.standbys()) {
            if (s.address() != null && same(s.address(), values.get(0))) return new Placement(rb, s, values);
        }
        return new Placement(rb, null, values);
    }

    String service() {
        return runbook.service();
    }

    /** The recovery VM (the standby's Zabbix host) serving the service, or null. */
    String host() {
        return serving == null ? null : serving.zabbixHost();
    }

    /** Equal address literals (127.0.0.1 and 127.000.000.001, or two spellings of one IPv6 address). */
    static boolean same(String a, String b) {
        if (a.equalsIgnoreCase(b)) return true;
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals only: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
