package org.vcrecovery.vcr.recover;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.recover.StepRunner.Done;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * DNS before and after: read the record before anything changes (an unreachable server or a
 * record someone else changed stops the run while nothing is touched yet), and the
 * compare-and-swap + verify once a standby passed its checks.
 *
 * <p>The swap expects exactly what was read, and that must be the primary's address or one of
 * the runbook's standbys' (a re-run after an earlier failover). Anything else is someone
 * else's change: DNS_FAILED, nothing overwritten.
 */
final class DnsStages {
    private DnsStages() {}

    static void preflight(RunContext ctx, Future<List<String>> answer) {
        Runbook.Dns d = ctx.runbook.dns();
        String record = d.fqdn() + " " + d.type();
        StepResult r = ctx.step("dns-read", ctx.runbook.limits().dnsTimeout(), () -> {
            try {
                ctx.dnsBefore = answer.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            return Done.ok(record + " " + describe(ctx, ctx.dnsBefore));
        });
        if (!r.ok()) {
            answer.cancel(true);
            ctx.finish(ExitCode.UNREACHABLE, "not recovered: DNS server " + d.server() + ":" + d.port()
                    + " did not answer (" + r.detail() + "); nothing changed");
            return;
        }
        if (owner(ctx, ctx.dnsBefore) == null) {
            ctx.finish(ExitCode.DNS_FAILED, "not recovered: " + record + " holds "
                    + (ctx.dnsBefore.isEmpty() ? "nothing" : String.join(", ", ctx.dnsBefore))
                    + ", neither the primary's " + ctx.runbook.primary().address()
                    + " nor a standby's: someone else changed it; nothing changed");
        }
    }

    /** "the primary", "standby NAME", or null when the values are nobody's of this runbook. */
    static String owner(RunContext ctx, List<String> values) {
        if (values.size() != 1) return null;
        String v = values.get(0);
        if (same(v, ctx.runbook.primary().address())) return "the primary";
        for (Runbook.Standby s : ctx.runbook.standbys()) {
            if (s.address() != null && same(v, s.address())) return "standby " + s.name();
        }
        return null;
    }

    private static String describe(RunContext ctx, List<String> values) {
        String o = owner(ctx, values);
        String v = values.isEmpty() ? "(absent)" : String.join(", ", values);
        return o == null ? v : v + " (" + o + ")";
    }

    static boolean same(String a, String b) {
        if (a.equalsIgnoreCase(b)) return true;
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static void swap(RunContext ctx) {
        Runbook.Dns d = ctx.runbook.dns();
        String to = ctx.chosenAddress;
        String record = d.fqdn() + " " + d.type();
        if (ctx.dnsBefore.size() == 1 && same(ctx.dnsBefore.get(0), to)) {
            ctx.step("dns", ctx.runbook.limits().dnsTimeout(),
                    () -> Done.ok("already switched: " + record + " " + to + " (a re-run)"));
            return;
        }
        StepResult r = ctx.step("dns", ctx.runbook.limits().dnsTimeout(), () -> {
            UpdateResult u = ctx.dns.swap(ctx.dnsBefore, to);
            String from = String.join(", ", ctx.dnsBefore);
            if (u.outcome() == Outcome.CONFLICT) {
                return Done.failed("conflict: " + record + " is no longer " + from + " (" + u.message()
                        + "): someone else changed it; nothing overwritten");
            }
            if (!u.applied()) return Done.failed(record + " not switched: " + u.outcome() + ": " + u.message());
            VerifyResult v = ctx.dns.verify(u.change(), ctx.bounded(ctx.runbook.limits().dnsTimeout()));
            if (!v.matched()) return Done.failed("switched " + record + " " + from + " -> " + to + " but " + v.message());
            return Done.ok("switched " + record + " " + from + " -> " + to + ", verified");
        });
        if (!r.ok()) {
            ctx.finish(ExitCode.DNS_FAILED, "standby " + ctx.chosen.name() + " (" + to
                    + ") is up but DNS was not switched: " + r.detail());
        }
    }

    /** The change {@link DnsUpdaterPort#swap} sends, for previews. */
    static DnsChange change(Runbook.Dns d, List<String> from, String to) {
        DnsChange c = DnsChange.of(d.zone(), d.fqdn(), org.vcrecovery.dns.RecordType.parse(d.type()), d.ttl(), to);
        return from.isEmpty() ? c.expectingAbsent() : c.expecting(from.toArray(String[]::new));
    }
}
