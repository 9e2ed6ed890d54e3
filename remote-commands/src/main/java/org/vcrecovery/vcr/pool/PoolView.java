package org.vcrecovery.vcr.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import org.vcrecovery.vcr.runbook.PoolRunbook.Member;

/**
 * One look at a pool: the RRset the authoritative server holds and each member's check, taken at
 * the same time. The roles follow from them: <b>active</b> (address in the RRset), <b>standby</b>
 * (outside it and answering its checks), <b>idle</b> (outside it and silent: stopped, or not yet
 * answering). Addresses in the RRset that are no member's are {@link #foreign}: kept as they are.
 */
record PoolView(PoolRunbook pool, List<String> rrset, Map<String, CheckResult> checks) {
    PoolView {
        rrset = List.copyOf(rrset);
        checks = Map.copyOf(checks);
    }

    boolean active(Member m) {
        return rrset.contains(m.address());
    }

    boolean answers(Member m) {
        CheckResult r = checks.get(m.name());
        return r != null && r.up();
    }

    /** Members in the RRset, in the runbook's order. */
    List<Member> actives() {
        return pool.members().stream().filter(this::active).toList();
    }

    /** Members outside the RRset that answer their checks, in the runbook's order. */
    List<Member> standbys() {
        return pool.members().stream().filter(m -> !active(m) && answers(m)).toList();
    }

    /** Members outside the RRset that do not answer, in the runbook's order. */
    List<Member> idles() {
        return pool.members().stream().filter(m -> !active(m) && !answers(m)).toList();
    }

    List<String> foreign() {
        List<String> out = new ArrayList<>();
        for (String a : rrset) if (pool.byAddress(a).isEmpty()) out.add(a);
        return out;
    }

    /** {@code active p1,p2; standby p3; idle p4} (members by name). */
    String describe() {
        StringBuilder sb = new StringBuilder("active ").append(names(actives())).append("; standby ").append(names(standbys()))
                .append("; idle ").append(names(idles()));
        List<String> f = foreign();
        if (!f.isEmpty()) sb.append("; not members: ").append(String.join(",", f));
        return sb.toString();
    }

    static String names(List<Member> ms) {
        return ms.isEmpty() ? "-" : String.join(",", ms.stream().map(Member::name).toList());
    }
}
