package org.vcrecovery.vcr.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import org.vcrecovery.vcr.runbook.PoolRunbook.Member;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;

/**
 * Grows or shrinks one pool by one member, after one {@link #look}: the RRset read at the
 * authoritative server while every member is checked, in parallel.
 *
 * <p><b>grow</b>: the first standby (runbook order) joins the RRset (one compare-and-swap UPDATE
 * whose prerequisite is the RRset just read, then asked of the server until it answers the new
 * set), while, in parallel, the first idle member is started and checked: the next standby. With
 * no standby but an idle member, that member is started and checked first (slower); with neither,
 * {@link ExitCode#POOL_LIMIT}. A standby is only ever added after its checks passed, in that look.
 *
 * <p><b>shrink</b>: the last active member (runbook order) leaves the RRset the same way, never
 * below {@code min-active} ({@link ExitCode#POOL_LIMIT}). It keeps running: it is the new standby,
 * so clients still holding the old RRset are served until its TTL runs out; the standby it
 * replaces (any other running member outside the RRset) is stopped once DNS is verified: idle.
 *
 * <p>Nothing is changed when DNS cannot be read, the update is refused or conflicts, or no
 * standby passes its checks. Each step lands in the {@link PoolReport} with its time.
 */
public final class PoolChange {
    /** The backend that runs a member (opened once per backend and options by the caller). */
    public interface Backends {
        StandbyBackend of(Member m);
    }

    private final PoolRunbook pool;
    private final PoolDns dns;
    private final Backends backends;
    private final ServiceChecker checker;
    private final ExecutorService exec;

    public PoolChange(PoolRunbook pool, PoolDns dns, Backends backends, ServiceChecker checker, ExecutorService exec) {
        this.pool = pool;
        this.dns = dns;
        this.backends = backends;
        this.checker = checker;
        this.exec = exec;
    }

    /** The RRset and every member's checks, at once; IOException when DNS does not answer. */
    PoolView look(PoolReport report) throws IOException {
        long t = System.nanoTime();
        Map<String, CompletableFuture<CheckResult>> checks = new LinkedHashMap<>();
        for (Member m : pool.members()) checks.put(m.name(), CompletableFuture.supplyAsync(() -> check(m), exec));
        List<String> rrset;
        try {
            rrset = dns.current();
        } catch (IOException e) {
            report.step("look", false, t, "DNS did not answer: " + e.getMessage());
            throw e;
        }
        Map<String, CheckResult> results = new LinkedHashMap<>();
        for (var e : checks.entrySet()) results.put(e.getKey(), e.getValue().join());
        PoolView v = new PoolView(pool, rrset, results);
        report.step("look", true, t, v.describe());
        return v;
    }

    public PoolReport grow(PoolReport report) {
        PoolView v;
        try {
            v = look(report);
        } catch (IOException e) {
            return report.finish(ExitCode.UNREACHABLE, "DNS server did not answer: nothing changed");
        }
        List<Member> standbys = new ArrayList<>(v.standbys());
        List<Member> idles = new ArrayList<>(v.idles());
        Member promote;
        if (!standbys.isEmpty()) {
            promote = standbys.get(0);
        } else if (!idles.isEmpty()) {
            promote = idles.remove(0);
            if (!startAndCheck(promote, report)) {
                return report.finish(ExitCode.SERVICE_DOWN, "no standby, and idle " + promote.name() + " did not come up: nothing changed");
            }
        } else {
            return report.finish(ExitCode.POOL_LIMIT, "no standby or idle member left: all " + v.actives().size()
                    + " members are active: nothing changed");
        }
        Member next = idles.isEmpty() ? null : idles.get(0);
        CompletableFuture<Boolean> prepared = next == null ? CompletableFuture.completedFuture(false)
                : CompletableFuture.supplyAsync(() -> startAndCheck(next, report), exec);
        List<String> to = new ArrayList<>(v.rrset());
        to.add(promote.address());
        ExitCode failed = switchTo(v.rrset(), to, "add " + promote.name(), report);
        boolean ready = awaitStandby(prepared, report);
        String nextText = next == null ? "no idle member left to start as the next standby"
                : ready ? next.name() + " started as the next standby" : "next standby " + next.name() + " did not come up";
        if (failed != null) return report.finish(failed, "DNS not changed (" + lastDetail(report) + "); " + nextText);
        return report.finish(ExitCode.OK, "promoted " + promote.name() + " (" + promote.address() + "): " + (v.actives().size() + 1)
                + " active; " + nextText);
    }

    public PoolReport shrink(PoolReport report) {
        PoolView v;
        try {
            v = look(report);
        } catch (IOException e) {
            return report.finish(ExitCode.UNREACHABLE, "DNS server did not answer: nothing changed");
        }
        List<Member> actives = v.actives();
        int min = pool.policy().minActive();
        if (actives.size() <= min) {
            return report.finish(ExitCode.POOL_LIMIT, actives.size() + " active, the minimum is " + min + ": nothing changed");
        }
        Member demote = actives.get(actives.size() - 1);
        List<String> to = new ArrayList<>(v.rrset());
        to.remove(demote.address());
        ExitCode failed = switchTo(v.rrset(), to, "remove " + demote.name(), report);
        if (failed != null) return report.finish(failed, "DNS not changed (" + lastDetail(report) + ")");
        // The demoted member is the standby now (when it answers); every other running non-member of the RRset goes idle.
        List<Member> surplus = new ArrayList<>(v.standbys());
        if (!v.answers(demote) && !surplus.isEmpty()) surplus.remove(0);
        List<CompletableFuture<Boolean>> stops = new ArrayList<>();
        for (Member m : surplus) stops.add(CompletableFuture.supplyAsync(() -> stop(m, report), exec));
        List<String> stopped = new ArrayList<>();
        for (int i = 0; i < surplus.size(); i++) if (stops.get(i).join()) stopped.add(surplus.get(i).name());
        return report.finish(ExitCode.OK, "removed " + demote.name() + " (" + demote.address() + "): " + (actives.size() - 1)
                + " active; " + (v.answers(demote) ? demote.name() + " is the standby" : "standby " + PoolView.names(v.standbys()))
                + (stopped.isEmpty() ? "" : "; stopped " + String.join(",", stopped)));
    }

    /** The compare-and-swap and its verification; null when both passed, else the exit code. */
    private ExitCode switchTo(List<String> from, List<String> to, String what, PoolReport report) {
        Runbook.Limits limits = pool.limits();
        long t = System.nanoTime();
        DnsChange change = PoolDns.change(pool.dns(), from, to);
        UpdateResult u = dns.set(from, to);
        report.step("dns " + what, u.applied(), t, u.applied() ? String.join(",", change.values()) : u.message());
        if (!u.applied()) {
            report.rrset(from, from);
            Outcome o = u.outcome();
            return o == Outcome.CONFLICT ? ExitCode.CONFLICT : o.isAuthFailure() ? ExitCode.AUTH
                    : o.isTransportFailure() ? ExitCode.DNS_FAILED : o == Outcome.REFUSED ? ExitCode.REFUSED : ExitCode.DNS_FAILED;
        }
        t = System.nanoTime();
        VerifyResult vr = dns.verify(change, limits.dnsTimeout());
        report.step("verify", vr.matched(), t, vr.matched() ? "the server answers " + String.join(",", vr.lastSeen()) : vr.message());
        report.rrset(from, vr.matched() ? change.values() : vr.lastSeen());
        return vr.matched() ? null : ExitCode.DNS_FAILED;
    }

    /** Every check of the runbook on {@code m}'s address, once each; the first that fails, else the last. */
    CheckResult check(Member m) {
        CheckResult last = null;
        for (Runbook.Check c : pool.checks()) {
            last = checker.check(new InetSocketAddress(m.address(), c.port()), c.protocol(), c.timeout());
            if (!last.up()) return last;
        }
        return last;
    }

    /** Starts {@code m} and waits for its checks (within the start and check limits); records one step. */
    boolean startAndCheck(Member m, PoolReport report) {
        long t = System.nanoTime();
        Runbook.Limits limits = pool.limits();
        try {
            backends.of(m).start(m.target(), limits.startTimeout());
        } catch (RuntimeException e) {
            report.step("start " + m.name(), false, t, "start failed: " + e.getMessage());
            return false;
        }
        Instant deadline = Instant.now().plus(limits.checkTimeout());
        CheckResult last = null;
        for (Runbook.Check c : pool.checks()) {
            last = checker.checkUntil(new InetSocketAddress(m.address(), c.port()), c.protocol(), c.timeout(), deadline,
                    Duration.ofMillis(20));
            if (!last.up()) break;
        }
        boolean up = last != null && last.up();
        report.step("start " + m.name(), up, t, up ? "running, " + last.summary() : "started but " + (last == null ? "no check" : last.summary()));
        return up;
    }

    private boolean stop(Member m, PoolReport report) {
        long t = System.nanoTime();
        try {
            backends.of(m).stop(m.target(), pool.limits().startTimeout());
            report.step("stop " + m.name(), true, t, "stopped: idle");
            return true;
        } catch (RuntimeException e) {
            report.step("stop " + m.name(), false, t, "stop failed: " + e.getMessage());
            return false;
        }
    }

    private boolean awaitStandby(CompletableFuture<Boolean> prepared, PoolReport report) {
        Runbook.Limits l = pool.limits();
        try {
            return prepared.get(l.startTimeout().plus(l.checkTimeout()).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static String lastDetail(PoolReport report) {
        List<PoolReport.Step> s = report.steps();
        for (int i = s.size() - 1; i >= 0; i--) {
            PoolReport.Step st = s.get(i);
            if (!st.ok() && (st.name().startsWith("dns") || st.name().equals("verify"))) return st.detail();
        }
        return "";
    }
}
