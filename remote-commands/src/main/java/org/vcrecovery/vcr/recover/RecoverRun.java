package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Failure;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookCommand;
import org.vcrecovery.vcr.runbook.RunbookPlan;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * Runs a {@link RecoverRequest}: validates its untrusted arguments, finds the runbook, runs
 * {@link Recovery} (or {@link Failback}, or prints a plan), prints one summary line (or the JSON
 * report) on stdout and returns the report's exit code. The same for picocli's command, a plain
 * line in a fresh process and a run in {@code vcr serve}.
 */
public final class RecoverRun {
    private RecoverRun() {}

    /** {@link #execute} with the one top-level catch ({@link Failure}): any failure, errors too, is one line and its exit code. */
    public static int run(RecoverRequest q, PrintWriter out, PrintWriter err) {
        return Failure.run(() -> execute(q, out, err), out, err, q.verbose());
    }

    /** Runs the request, printing the summary (or JSON) on {@code out}; returns the exit code or throws {@link VcrException}. */
    public static int execute(RecoverRequest q, PrintWriter out, PrintWriter err) {
        return execute(q, out, err, null);
    }

    /** As {@link #execute(RecoverRequest, PrintWriter, PrintWriter)}, with guard answers already read ({@code seen}, or null). */
    public static int execute(RecoverRequest q, PrintWriter out, PrintWriter err, AnsweredQuestions seen) {
        if (q.hostDown() != null) {
            java.util.List<String> other = new java.util.ArrayList<>();
            if (q.runbook() != null) other.add("--runbook");
            if (q.triggerHost() != null) other.add("--trigger-host");
            if (q.vm() != null) other.add("--vm");
            if (q.standby() != null) other.add("--standby");
            if (q.failback()) other.add("--failback");
            if (q.startPrimary()) other.add("--start-primary");
            if (q.pending()) other.add("--pending");
            return org.vcrecovery.vcr.hostdown.HostDownRun.run(q.hostDown(), q.eventId(), q.plan(), q.json(), q.options(),
                    q.environment(), other, out, err);
        }
        if (q.pending()) {
            if (q.runbook() != null || q.eventId() != null || q.triggerHost() != null || q.vm() != null
                    || q.failback() || q.startPrimary()) {
                throw new VcrException(ExitCode.USAGE, "--pending takes no --runbook, --event-id, --trigger-host, --vm or"
                        + " --failback: it reads the events from Zabbix; nothing was changed");
            }
            return org.vcrecovery.vcr.pending.PendingRecoveries.run(q, out, err);
        }
        String rbArg = Arguments.runbook(q.runbook());
        String event = Arguments.eventId(q.eventId());
        String host = Arguments.name("--trigger-host", q.triggerHost());
        String domain = Arguments.name("--vm", q.vm());
        String forced = Arguments.name("--standby", q.standby());
        if (q.startPrimary() && !q.failback()) throw new VcrException(ExitCode.USAGE, "--start-primary goes with --failback; nothing was changed");
        if (q.failback() && forced != null) {
            throw new VcrException(ExitCode.USAGE, "--standby does not go with --failback (the standby is the one DNS points at); nothing was changed");
        }
        VcrConfig cfg = q.options().load(q.environment());
        DeferredZabbixPort zabbix = cfg.zabbix() == null || q.plan() || q.failback() && event == null ? null
                : new DeferredZabbixPort(cfg.zabbix(), ZabbixApiPort.secret(cfg.zabbix()), q.failback() ? null : host, event,
                        KillSwitch.MACRO);
        try {
            return run(q, out, err, cfg, zabbix, seen, rbArg, event, host, domain, forced);
        } finally {
            if (zabbix != null) zabbix.close();
        }
    }

    private static int run(RecoverRequest q, PrintWriter out, PrintWriter err, VcrConfig cfg, DeferredZabbixPort zabbix,
                           AnsweredQuestions seen, String rbArg, String event, String host, String domain, String forced) {
        Runbook rb = RunbookCommand.load(find(new RunbookCatalog(cfg.runbookDir()), rbArg, domain, host));
        if (forced != null && rb.standby(forced).isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "runbook " + rb.service() + " has no standby '" + forced + "' (it has: "
                    + String.join(", ", rb.standbys().stream().map(Runbook.Standby::name).toList()) + ")");
        }
        if (q.failback()) return FailbackCommand.run(q, out, err, cfg, zabbix, rb, event);
        if (q.plan()) {
            printPlan(out, rb, cfg, event, forced);
            return ExitCode.OK.code();
        }
        DnsPort dns = DnsUpdaterPort.open(rb.dns(), rb.limits().dnsTimeout(), rb.limits().retries());
        ZabbixPort.Questions early = zabbix == null ? null : zabbix.early(rb.zabbixHost());
        if (early == null && zabbix != null && seen != null) {
            early = seen.questions(rb.zabbixHost(), event, event == null ? null : KillSwitch.MACRO);
        }
        RecoveryReport report = new Recovery(rb, cfg, zabbix, dns, StandbyBackends.installed(), new ServiceChecker(),
                err).run(event, forced, early);
        out.println(q.json() ? report.toJson() : report.summary());
        out.flush();
        return report.exitCode().code();
    }

    static Path find(RunbookCatalog catalog, String runbook, String vm, String host) {
        if (runbook != null) return catalog.resolve(runbook);
        if (vm == null && host == null) {
            throw new VcrException(ExitCode.USAGE, "which service? give --runbook NAME|FILE, --vm DOMAIN or --trigger-host HOST");
        }
        // A VM-down event names its VM: only a runbook for that domain may run. Falling back to the
        // trigger's host (the KVM host) would recover another VM's service when an unrelated VM fails.
        Path p = vm != null ? catalog.findBy("domain", vm) : catalog.findBy("zabbix-host", host);
        if (p == null) {
            throw new VcrException(ExitCode.USAGE, "no runbook in " + catalog.dir() + " has "
                    + (vm != null ? "primary domain " + vm : "zabbix-host " + host) + "; nothing was changed");
        }
        return p;
    }

    private static void printPlan(PrintWriter out, Runbook rb, VcrConfig cfg, String event, String forced) {
        out.println("PLAN ONLY: nothing will be changed.");
        for (String line : RunbookPlan.describe(rb, rb.limits().dedupWindow() != null ? rb.limits().dedupWindow() : cfg.dedupWindow())) {
            out.println(line);
        }
        out.println("This run: " + (event == null ? "no event (by hand: not deduplicated, nothing to acknowledge)" : "event " + event)
                + (forced == null ? "" : "; only standby " + forced)
                + "; Zabbix " + (cfg.zabbix() == null ? "not configured (no maintenance check, no ack)" : cfg.zabbix().url())
                + "; state in " + cfg.stateDir() + ".");
        for (String line : org.vcrecovery.vcr.breaker.BreakerPlan.describe(cfg, rb.service())) out.println(line);
        if (rb.primary().kvmHost() != null) {
            VcrConfig.HostDown l = cfg.hostDown();
            out.println("Host down: `vcr recover --host-down " + rb.primary().kvmHost() + "` recovers this service with every other"
                    + " VM of that KVM host, at most " + l.parallel() + " at once, " + l.perStandbyHost() + " per standby host, "
                    + l.perZone() + " per DNS zone, " + l.perBackend() + " per standby backend (vcr.yaml host-down:).");
        }
        out.flush();
    }
}
