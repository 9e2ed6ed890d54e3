package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * {@code vcr recover --failback}: moves a recovered service back from its standby to the
 * repaired primary. An operator's decision, run by hand (or from the host menu's plan).
 *
 * <pre>
 *  lock → dns-read → [primary: status, start with --start-primary] → check the primary
 *       → dns (compare-and-swap standby → primary + verify) → stop the standby (cold kinds) → ack + report → audit
 * </pre>
 * The split-brain rule in reverse: DNS is never pointed at a primary that fails its runbook
 * checks (SERVICE_DOWN, DNS untouched). A primary domain that is not running is refused unless
 * {@code startPrimary}. DNS must hold a standby's address of this runbook (it is the one failed
 * back from); the primary's address already means "already on the primary" (OK, nothing
 * changed); anything else is someone else's change (DNS_FAILED, nothing overwritten). After
 * the switch a cold-container or VM standby is stopped, a suspended-VM standby suspended again
 * (stopped when the backend cannot suspend); a warm one stays running. A standby that cannot
 * be stopped is a note, not a failure: DNS already points at the primary. No deduplication and
 * no maintenance check: the operator asked for it.
 *
 * <p>Never throws for what happens on the network or in a backend: every failure is a step
 * result and an exit code in the returned report.
 */
public final class Failback {
    private final Runbook runbook;
    private final VcrConfig config;
    private final RunContext.Ports ports;
    private final PrintWriter err;

    /**
     * @param zabbix null when no Zabbix API is configured (then no acknowledgement)
     * @param err    where slow steps report progress (stderr)
     */
    public Failback(Runbook runbook, VcrConfig config, ZabbixPort zabbix, DnsPort dns,
                    org.vcrecovery.vcr.standby.StandbyBackends backends, ServiceChecker checker, PrintWriter err) {
        this.runbook = runbook;
        this.config = config;
        this.ports = new RunContext.Ports(zabbix, dns, checker, backends);
        this.err = err;
    }

    /** Fails the service back to its primary; {@code eventId} (may be null) is acknowledged with the steps. */
    public RecoveryReport run(String eventId, boolean startPrimary) {
        return run(eventId, startPrimary, ReportStage.ZABBIX);
    }

    RecoveryReport run(String eventId, boolean startPrimary, ReportStage.Sender sender) {
        RunContext run = new RunContext(runbook, config, eventId, null, ports, err);
        Future<List<String>> dnsRead = run.executor.submit(ports.dns()::current);
        return RunFrame.run(run, "failback not started: a recovery is in progress", () -> Verdict.first(run,
                        r -> DnsStages.read(r, dnsRead, "failed back", false),
                        Failback::onAStandby,
                        r -> primaryRunning(r, startPrimary),
                        Failback::checkPrimary,
                        Failback::switchBack,
                        Failback::putAway),
                r -> r.owner != null && !r.owner.primary() ? r.owner.standby().name() : null,
                Failback::report, sender, dnsRead);
    }

    /** The failback's report: on success the service is on the primary (no standby serving). */
    static RecoveryReport report(RunContext ctx) {
        return new RecoveryReport(ctx.runbook.service(),
                ctx.runbook.source() == null ? null : ctx.runbook.source().toString(),
                ctx.eventId, ctx.exit, ctx.headline, null,
                ctx.exit == ExitCode.OK ? ctx.runbook.primary().address() : null,
                ctx.started, ctx.elapsedMillis(), ctx.runner.steps(), ctx.notes);
    }

    /** DNS must point at a standby of this runbook: already on the primary is OK (nothing to do), nobody's is DNS_FAILED. */
    private static Verdict onAStandby(RunContext ctx) {
        if (ctx.owner == null) return DnsStages.nobodys(ctx, "failed back");
        if (!ctx.owner.primary()) return Verdict.CONTINUE;
        Runbook.Dns d = ctx.runbook.dns();
        return Verdict.stop(ExitCode.OK, "already on the primary (" + ctx.runbook.primary().address() + "): "
                + d.fqdn() + " " + d.type() + " holds it; nothing changed");
    }

    /** The primary must pass the runbook's checks: SERVICE_DOWN, DNS left on the standby, otherwise. */
    private static Verdict checkPrimary(RunContext ctx) {
        Runbook rb = ctx.runbook;
        String primary = rb.primary().address();
        StepResult check = ctx.step("check", rb.limits().checkTimeout(), () -> {
            Probes.Verdict v = Probes.checkUntil(ctx.checker, rb.checks(), primary, 0, ctx.bounded(rb.limits().checkTimeout()));
            return v.up() ? Done.ok("primary " + v.detail()) : Done.failed("primary " + v.detail());
        });
        if (check.ok()) return Verdict.CONTINUE;
        return Verdict.stop(ExitCode.SERVICE_DOWN, "not failed back: the primary (" + primary
                + ") does not answer its checks (" + check.detail() + "); DNS left on " + ctx.owner);
    }

    /** DNS compare-and-swap standby -> primary, verified: DNS_FAILED (the standby left running) otherwise. */
    private static Verdict switchBack(RunContext ctx) {
        String primary = ctx.runbook.primary().address();
        StepResult swap = DnsStages.swap(ctx, primary);
        if (swap.ok()) return Verdict.CONTINUE;
        return Verdict.stop(ExitCode.DNS_FAILED, "not failed back: the primary (" + primary + ") answers but the DNS switch failed: "
                + swap.detail() + "; " + ctx.owner + " left running");
    }

    /**
     * The primary must be running: its domain's state when it has one (starting or resuming it
     * only when {@code startPrimary}). SERVICE_DOWN when it is not. A backend that cannot tell is
     * a note: the service check decides.
     */
    private static Verdict primaryRunning(RunContext ctx, boolean startPrimary) {
        Runbook.Primary p = ctx.runbook.primary();
        if (p.domain() == null) return Verdict.CONTINUE;
        StandbyState[] state = {null};
        StepResult s = ctx.step("primary", ctx.runbook.limits().startTimeout(), () -> {
            StandbyBackend b = FenceStage.primaryBackend(ctx, p);
            state[0] = b.status(p.domain());
            if (state[0] == StandbyState.RUNNING) return Done.ok("domain " + p.domain() + " is running");
            if (state[0] == StandbyState.UNKNOWN) {
                state[0] = null;
                return Done.failed(p.backend() + " cannot tell the state of domain " + p.domain());
            }
            String st = state[0].name().toLowerCase(java.util.Locale.ROOT);
            if (state[0] == StandbyState.ABSENT) return Done.failed("domain " + p.domain() + " does not exist");
            if (!startPrimary) return Done.failed("domain " + p.domain() + " is " + st);
            b.start(p.domain(), ctx.bounded(ctx.runbook.limits().startTimeout()));
            state[0] = StandbyState.RUNNING;
            return Done.ok((st.equals("paused") ? "resumed" : "started") + " domain " + p.domain() + " (it was " + st + ")");
        });
        if (s.ok()) return Verdict.CONTINUE;
        if (state[0] == null) {
            ctx.notes.add("primary domain state unknown (" + s.detail() + "): its service checks decide");
            return Verdict.CONTINUE;
        }
        String hint = state[0] == StandbyState.ABSENT || startPrimary ? ""
                : ": start it (virsh start/resume " + p.domain() + ") or give --start-primary";
        return Verdict.stop(ExitCode.SERVICE_DOWN, "not failed back: the primary is not running (" + s.detail() + ")" + hint
                + "; DNS untouched");
    }

    /** Stops (or suspends again) a cold standby after the switch: the run's OK outcome. */
    private static Verdict putAway(RunContext ctx) {
        Runbook.Standby s = ctx.owner.standby();
        String primary = ctx.runbook.primary().address();
        return Verdict.stop(ExitCode.OK, "failed back to the primary (" + primary + ") from standby " + s.name() + stop(ctx, s));
    }

    /** Returns a headline suffix. */
    private static String stop(RunContext ctx, Runbook.Standby s) {
        if (s.kind().warm()) return "; warm standby " + s.name() + " left running";
        String[] did = {null};
        StepResult r = ctx.cleanupStep("stop", ctx.runbook.limits().startTimeout(), () -> {
            StandbyBackend b = ctx.backend(s.backend(), s.options());
            if (s.kind() == Runbook.StandbyKind.SUSPENDED_VM && b.capabilities().contains(StandbyBackend.Capability.SUSPEND)) {
                b.suspend(s.target(), ctx.runbook.limits().startTimeout());
                did[0] = "suspended";
            } else {
                b.stop(s.target(), ctx.runbook.limits().startTimeout());
                did[0] = "stopped";
            }
            return Done.ok(did[0] + " standby " + s.name() + " (" + s.backend() + " " + s.target() + ")");
        });
        if (r.ok()) return "; standby " + did[0];
        ctx.notes.add("standby " + s.name() + " still running: " + r.detail() + " (stop it with vcr standby stop)");
        return "";
    }

    /** What {@code vcr recover --failback --plan} prints. Pure: touches nothing. */
    public static List<String> plan(Runbook rb, boolean startPrimary) {
        Runbook.Primary p = rb.primary();
        Runbook.Dns d = rb.dns();
        Runbook.Limits l = rb.limits();
        List<String> out = new ArrayList<>();
        out.add("Fail back " + rb.service() + (rb.source() == null ? "" : " (" + rb.source() + ")")
                + " to its primary " + p.address() + (p.domain() == null ? "" : " (libvirt domain " + p.domain() + " on " + p.uri() + ")") + ":");
        int n = 1;
        out.add("  " + n++ + ". Take the lock of " + rb.service() + " (a concurrent recover or failback exits 9). No dedup, no maintenance check.");
        out.add("  " + n++ + ". Read " + d.fqdn() + " " + d.type() + " at " + d.server() + ":" + d.port()
                + ": the primary's " + p.address() + " already: exit 0, nothing to do; a standby's: fail back from that standby;"
                + " anything else: exit 12, nothing changed.");
        if (p.domain() != null) {
            out.add("  " + n++ + ". The primary's domain " + p.domain() + " must be running: "
                    + (startPrimary ? "start (or resume) it if it is not (--start-primary)."
                            : "if it is not, exit 7 and touch nothing (--start-primary would start or resume it)."));
        }
        out.add("  " + n++ + ". Check the primary at " + p.address() + ": " + org.vcrecovery.vcr.runbook.RunbookPlan.checks(rb.checks())
                + ", for up to " + Durations.format(l.checkTimeout()) + ". It fails: exit 7, DNS stays on the standby.");
        out.add("  " + n++ + ". Switch " + d.fqdn() + " " + d.type() + " from the standby's address to " + p.address()
                + " (compare-and-swap, then verify within " + Durations.format(l.dnsTimeout()) + "); a conflict is exit 12.");
        List<String> put = new ArrayList<>();
        for (Runbook.Standby s : rb.standbys()) {
            put.add(s.name() + " (" + s.kind().yaml() + "): " + switch (s.kind()) {
                case WARM_CONTAINER -> "left running";
                case SUSPENDED_VM -> "suspended again";
                case COLD_CONTAINER, VM -> "stopped";
            });
        }
        out.add("  " + n++ + ". Then the standby failed back from is put away: " + String.join("; ", put) + ".");
        out.add("  " + n + ". Acknowledge the event (with --event-id), send the summary to the standby's Zabbix host"
                + " (zabbix.trapper and the standby's zabbix-host), append to audit.jsonl, print one line (or JSON).");
        return out;
    }
}
