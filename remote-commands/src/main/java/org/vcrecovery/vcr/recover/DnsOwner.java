package org.vcrecovery.vcr.recover;

import java.util.List;
import java.util.Optional;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * Whose address a DNS record holds, as a value: the primary's ({@code standby} null) or one of
 * the runbook's standbys'. A record holding anything else (several values, nothing, a foreign
 * address) has no owner: someone else changed it.
 */
record DnsOwner(Runbook.Standby standby) {
    static final DnsOwner PRIMARY = new DnsOwner(null);

    /** The owner of {@code values} in {@code rb}, or empty when they are nobody's of this runbook. */
    static Optional<DnsOwner> of(Runbook rb, List<String> values) {
        if (values.size() != 1) return Optional.empty();
        String v = values.get(0);
        if (DnsStages.same(v, rb.primary().address())) return Optional.of(PRIMARY);
        for (Runbook.Standby s : rb.standbys()) {
            if (s.address() != null && DnsStages.same(v, s.address())) return Optional.of(new DnsOwner(s));
        }
        return Optional.empty();
    }

    boolean primary() {
        return standby == null;
    }

    /** Whether this is the standby named {@code name}. */
    boolean is(Runbook.Standby s) {
        return standby != null && standby.name().equals(s.name());
    }

    /** "the primary" or "standby NAME". */
    @Override
    public String toString() {
        return primary() ? "the primary" : "standby " + standby.name();
    }
}
