package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Failure;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookCommand;
import org.vcrecovery.vcr.runbook.RunbookPlan;
import org.vcrecovery.vcr.standby.StandbyBackends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vcr recover}: what a Zabbix action runs when a VM fails (and what an operator runs by
 * hand). Validates its untrusted arguments, finds the runbook, runs {@link Recovery}, prints
 * one summary line (or the JSON report) on stdout and exits with the report's code.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Recover a service on a standby: guard, fence the primary, bring up a standby, switch DNS, acknowledge the event.",
            "The runbook is --runbook NAME|FILE, or the one whose primary is --vm DOMAIN, or whose Zabbix host is --trigger-host HOST.",
            "Unresolved Zabbix macros ({EVENT.TAGS.vm}, *UNKNOWN*) count as not given.",
            "--failback moves the service back from the standby DNS points at to the repaired primary:"
                + " lock; the primary's domain must be running (--start-primary starts or resumes it);"
                + " the primary must pass the runbook's checks (else exit 7, DNS untouched); DNS compare-and-swap"
                + " standby -> primary + verify; then a cold-container or vm standby is stopped, a suspended-vm"
                + " suspended again, a warm one left running. DNS already on the primary: exit 0, nothing changed."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "   0  recovered: standby up, DNS switched and verified (or recovered in place by the ladder)",
            "   2  bad input or configuration (arguments, runbook, config, secret file): nothing was changed",
            "   3  Zabbix (with maintenance-unknown: refuse) or the DNS server unreachable before anything changed",
            "   7  no standby passed its checks: DNS left alone",
            "   8  the primary could not be fenced or proven dead: DNS left alone",
            "   9  another recovery of this service holds the lock (stdout names pid, host, start)",
            "  10  duplicate event (already recovered, or inside the dedup window): dropped",
            "  11  the primary's Zabbix host is in maintenance: left alone",
            "  12  the DNS record was changed by someone else, or the switch or its verification failed",
            "  13  the event's problem was already resolved when the action ran: nothing touched",
            "  14  the primary is healthy: its domain runs (or libvirt cannot tell) and its service answers its checks;"
                + " the event is not confirmed: nothing touched (no fence, no standby, no DNS), the ack says so",
            "--failback: 0 failed back (or already on the primary); 7 the primary is not running or fails its checks"
                + " (DNS untouched); 9 the lock is held; 12 DNS holds no address of this runbook, or a conflict or failed switch.",
            "A failed acknowledgement of the event does not change the code: the summary says \"ack failed: ...\".",
            "With zabbix.trapper in vcr.yaml and a standby's zabbix-host in the runbook, the summary line is also sent"
                + " to that host's item vcr.recovery.report (best effort, ~1 s at most; \"report not sent: ...\" otherwise)."})
public final class RecoverCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--runbook", paramLabel = "NAME|FILE", description = "The runbook to run.")
    String runbook;

    @Option(names = "--event-id", paramLabel = "ID", description = "The Zabbix event to deduplicate on and acknowledge ({EVENT.ID}).")
    String eventId;

    @Option(names = "--trigger-host", paramLabel = "HOST", description = "The primary's Zabbix host name ({HOST.HOST}).")
    String triggerHost;

    @Option(names = "--vm", paramLabel = "DOMAIN", description = "The primary's libvirt domain name ({EVENT.TAGS.vm}).")
    String vm;

    @Option(names = "--standby", paramLabel = "NAME", description = "Use only this standby of the runbook.")
    String standby;

    @Option(names = "--plan", description = "Change nothing: print what would happen.")
    boolean plan;

    @Option(names = "--json", description = "Print the full JSON report instead of the summary line.")
    boolean json;

    @Option(names = "--failback", description = "Move the service back from its standby to the repaired primary (see above).")
    boolean failback;

    @Option(names = "--start-primary", description = "With --failback: start or resume the primary's domain if it is not running.")
    boolean startPrimary;

    /** {@code --verbose} as {@link RecoverLine} read it (picocli keeps its own on the root command). */
    boolean verbose;

    /** Where VCR_CONFIG, VCR_RUNBOOKS and VCR_STATE_DIR are read: this process's environment, or the caller's. */
    private Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Reads VCR_CONFIG, VCR_RUNBOOKS and VCR_STATE_DIR from {@code env} (a caller's, in {@code vcr serve}) instead of this process's. */
    public RecoverCommand environment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    /**
     * True when every path on the line is absolute (or none is given), so a process with another
     * working directory ({@code vcr serve}) reads the same files. A runbook given by name is no path
     * (a file is what {@link RunbookCatalog#resolve} takes for one).
     */
    public boolean independentOfWorkingDirectory() {
        for (Path p : new Path[] {options.config(), options.runbooks(), options.stateDir()}) {
            if (p != null && !p.isAbsolute()) return false;
        }
        boolean file = runbook != null && (runbook.contains("/") || runbook.endsWith(".yaml") || runbook.endsWith(".yml"));
        return !file || runbook.startsWith("/");
    }

    /** Whether {@code --verbose} was on the line {@link RecoverLine} read. */
    public boolean verbose() {
        return verbose;
    }

    /** Whether the line names the failed VM ({@code --vm} given and not an unresolved macro): its fence will need libvirt. */
    public boolean namesVm() {
        return !Arguments.absent(vm);
    }

    /**
     * Runs the command as {@code vcr recover} would without picocli's model (a line
     * {@link RecoverLine} read, in a fresh process or in {@code vcr serve}): the exit code, any
     * failure (an error too) as one line on {@code err} ({@link Failure}).
     */
    public int run(PrintWriter out, PrintWriter err) {
        return Failure.run(() -> execute(out, err), out, err, verbose);
    }

    /** Runs the command, printing the summary (or JSON) on {@code out}; returns the exit code or throws {@link VcrException}. */
    public int execute(PrintWriter out, PrintWriter err) {
        String rbArg = Arguments.runbook(runbook);
        String event = Arguments.eventId(eventId);
        String host = Arguments.name("--trigger-host", triggerHost);
        String domain = Arguments.name("--vm", vm);
        String forced = Arguments.name("--standby", standby);
        if (startPrimary && !failback) throw new VcrException(ExitCode.USAGE, "--start-primary goes with --failback; nothing was changed");
        if (failback && forced != null) {
            throw new VcrException(ExitCode.USAGE, "--standby does not go with --failback (the standby is the one DNS points at); nothing was changed");
        }
        VcrConfig cfg = options.load(environment);
        DeferredZabbixPort zabbix = cfg.zabbix() == null || plan || failback && event == null ? null
                : new DeferredZabbixPort(cfg.zabbix(), ZabbixApiPort.secret(cfg.zabbix()), failback ? null : host);
        try {
            return run(out, err, cfg, zabbix, rbArg, event, host, domain, forced);
        } finally {
            if (zabbix != null) zabbix.close();
        }
    }

    private int run(PrintWriter out, PrintWriter err, VcrConfig cfg, DeferredZabbixPort zabbix, String rbArg, String event,
                    String host, String domain, String forced) {
        Runbook rb = RunbookCommand.load(find(new RunbookCatalog(cfg.runbookDir()), rbArg, domain, host));
        if (forced != null && rb.standby(forced).isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "runbook " + rb.service() + " has no standby '" + forced + "' (it has: "
                    + String.join(", ", rb.standbys().stream().map(Runbook.Standby::name).toList()) + ")");
        }
        if (failback) return FailbackCommand.run(this, out, err, cfg, zabbix, rb, event);
        if (plan) {
            printPlan(out, rb, cfg, event, forced);
            return ExitCode.OK.code();
        }
        DnsPort dns = DnsUpdaterPort.open(rb.dns(), rb.limits().dnsTimeout(), rb.limits().retries());
        RecoveryReport report = new Recovery(rb, cfg, zabbix, dns, StandbyBackends.installed(), new ServiceChecker(),
                err).run(event, forced, zabbix == null ? null : zabbix.early(rb.zabbixHost()));
        out.println(json ? report.toJson() : report.summary());
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
        out.flush();
    }
}
