package org.vcrecovery.vcr.recover;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
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

    /**
     * The "dns-read" step: the record as read before anything changed, and its owner, left in the
     * run's holder. An unreachable server is UNREACHABLE; with {@code ownerRequired} a record
     * that is nobody's of this runbook is DNS_FAILED ({@code what} names the run: "recovered").
     */
    static Verdict read(RunContext ctx, Future<List<String>> answer, String what, boolean ownerRequired) {
        Runbook.Dns d = ctx.runbook.dns();
        String record = d.fqdn() + " " + d.type();
        StepResult r = ctx.step("dns-read", ctx.runbook.limits().dnsTimeout(), () -> {
            try {
                ctx.dnsBefore = answer.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            ctx.owner = DnsOwner.of(ctx.runbook, ctx.dnsBefore).orElse(null);
            String v = ctx.dnsBefore.isEmpty() ? "(absent)" : String.join(", ", ctx.dnsBefore);
            return Done.ok(record + " " + (ownerRequired && ctx.owner != null ? v + " (" + ctx.owner + ")" : v));
        });
        if (!r.ok()) {
            answer.cancel(true);
            return Verdict.stop(ExitCode.UNREACHABLE, "not " + what + ": DNS server " + d.server() + ":" + d.port()
                    + " did not answer (" + r.detail() + "); nothing changed");
        }
        if (ownerRequired && ctx.owner == null) return nobodys(ctx, what);
        return Verdict.CONTINUE;
    }

    /** DNS_FAILED: the record holds an address of nobody in this runbook. */
    static Verdict nobodys(RunContext ctx, String what) {
        Runbook.Dns d = ctx.runbook.dns();
        return Verdict.stop(ExitCode.DNS_FAILED, "not " + what + ": " + d.fqdn() + " " + d.type() + " holds "
                + (ctx.dnsBefore.isEmpty() ? "nothing" : String.join(", ", ctx.dnsBefore))
                + ", neither the primary's " + ctx.runbook.primary().address()
                + " nor a standby's: someone else changed it; nothing changed");
    }

    static boolean same(String a, String b) {
        if (a.equalsIgnoreCase(b)) return true;
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * The "dns" step: compare-and-swap the record from what was read to {@code to}, then verify
     * it. Returns the step (a conflict, a refused update or a failed verification is not OK).
     */
    static StepResult swap(RunContext ctx, String to) {
        Runbook.Dns d = ctx.runbook.dns();
        String record = d.fqdn() + " " + d.type();
        String from = String.join(", ", ctx.dnsBefore);
        return ctx.step("dns", ctx.runbook.limits().dnsTimeout(), () -> {
            UpdateResult u = ctx.dns.swap(ctx.dnsBefore, to);
            if (u.outcome() == Outcome.CONFLICT) {
                return Done.failed("conflict: " + record + " is no longer " + from + " (" + u.message()
                        + "): someone else changed it; nothing overwritten");
            }
            if (!u.applied()) {
                // no trustworthy reply (timeout, only unsigned ones): the update may have applied
                String what = u.outcome().isTransportFailure() ? " switch not confirmed: " : " not switched: ";
                return Done.failed(record + what + u.outcome() + ": " + u.message());
            }
            VerifyResult v = ctx.dns.verify(u.change(), ctx.bounded(ctx.runbook.limits().dnsTimeout()));
            if (!v.matched()) return Done.failed("switched " + record + " " + from + " -> " + to + " but " + v.message());
            return Done.ok("switched " + record + " " + from + " -> " + to + ", verified");
        });
    }

    /** The recovery's DNS switch to the chosen standby: DNS_FAILED when it did not happen. */
    static Verdict switchToStandby(RunContext ctx) {
        Runbook.Dns d = ctx.runbook.dns();
        String to = ctx.chosenAddress;
        if (ctx.dnsBefore.size() == 1 && same(ctx.dnsBefore.get(0), to)) {
            ctx.step("dns", ctx.runbook.limits().dnsTimeout(),
                    () -> Done.ok("already switched: " + d.fqdn() + " " + d.type() + " " + to + " (a re-run)"));
            return Verdict.CONTINUE;
        }
        StepResult r = swap(ctx, to);
        if (r.ok()) return Verdict.CONTINUE;
        return Verdict.stop(ExitCode.DNS_FAILED, "standby " + ctx.chosen.name() + " (" + to
                + ") is up but the DNS switch failed: " + r.detail());
    }

    /** The change {@link DnsUpdaterPort#swap} sends, for previews. */
    static DnsChange change(Runbook.Dns d, List<String> from, String to) {
        DnsChange c = DnsChange.of(d.zone(), d.fqdn(), org.vcrecovery.dns.RecordType.parse(d.type()), d.ttl(), to);
        return from.isEmpty() ? c.expectingAbsent() : c.expecting(from.toArray(String[]::new));
    }
}
