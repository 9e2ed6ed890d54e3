package org.vcrecovery.vcr.hostdown;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.Arguments;
import org.vcrecovery.vcr.recover.DnsUpdaterPort;
import org.vcrecovery.vcr.recover.Recovery;
import org.vcrecovery.vcr.recover.ZabbixApiPort;
import org.vcrecovery.vcr.recover.ZabbixPort;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * Runs {@code vcr recover --host-down KVMHOST [--event-id ID] [--plan] [--json]}: validates the
 * untrusted arguments (they come from Zabbix macros), finds the host's runbooks
 * ({@link HostRunbooks}), prints the plan or runs {@link HostDown} with the real ports, prints a
 * line per VM and the host's line (or the JSON report) and returns the exit code.
 */
public final class HostDownRun {
    private HostDownRun() {}

    /**
     * Whether a pending host-down problem of {@code triggerHost} is a KVM host's (a runbook here names
     * it as its primary's {@code kvm-host}): {@code vcr recover --pending} then runs {@link #run} for it.
     */
    public static boolean forKvmHost(RunbookCatalog catalog, String triggerHost) {
        return triggerHost != null && org.vcrecovery.vcr.Names.isName(triggerHost) && HostRunbooks.mentioned(catalog, triggerHost);
    }

    /**
     * The name a host-down of {@code kvmHost} has in the breaker's window and in approvals
     * ({@code host-down.KVMHOST}): {@code vcr approve --held} approves a held host-down under it.
     */
    public static String breakerName(String kvmHost) {
        return HostDown.PREFIX + kvmHost;
    }

    /** The options {@code --host-down} does not go with (given: a USAGE error, nothing changed). */
    public static int run(String host, String eventId, boolean plan, boolean json, ConfigOptions options, Map<String, String> env,
                          List<String> conflicting, PrintWriter out, PrintWriter err) {
        String kvmHost = Arguments.name("--host-down", host);
        if (kvmHost == null) throw new VcrException(ExitCode.USAGE, "--host-down needs the KVM host's Zabbix host name; nothing was changed");
        if (!conflicting.isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "--host-down does not go with " + String.join(", ", conflicting)
                    + ": it recovers every runbook whose primary.kvm-host is " + kvmHost + "; nothing was changed");
        }
        String event = Arguments.eventId(eventId);
        VcrConfig cfg = options.load(env);
        List<Runbook> runbooks = HostRunbooks.find(new RunbookCatalog(cfg.runbookDir()), kvmHost);
        if (plan) {
            printPlan(out, kvmHost, runbooks, cfg);
            return ExitCode.OK.code();
        }
        ZabbixPort zabbix = cfg.zabbix() == null ? null : ZabbixApiPort.open(cfg.zabbix());
        try {
            StandbyBackends backends = StandbyBackends.installed();
            ServiceChecker checker = new ServiceChecker();
            HostDown.VmRunner vms = (rb, proof) -> {
                Recovery r = new Recovery(rb, cfg, zabbix, DnsUpdaterPort.open(rb.dns(), rb.limits().dnsTimeout(),
                        rb.limits().retries()), backends, checker, err);
                return proof != null ? r.runProven(proof) : r.run(null, null);
            };
            HostDownReport report = new HostDown(kvmHost, runbooks, cfg, new HostDown.Ports(zabbix, backends, checker, vms), err)
                    .run(event);
            if (json) {
                out.println(report.toJson());
            } else {
                for (String line : report.lines()) out.println(line);
            }
            out.flush();
            return report.exitCode().code();
        } finally {
            if (zabbix != null) zabbix.close();
        }
    }

    static void printPlan(PrintWriter out, String kvmHost, List<Runbook> runbooks, VcrConfig cfg) {
        VcrConfig.HostDown l = cfg.hostDown();
        out.println("PLAN ONLY: nothing will be changed.");
        out.println("KVM host " + kvmHost + ": " + runbooks.size() + " runbook" + (runbooks.size() == 1 ? "" : "s")
                + (runbooks.size() == 1 ? " names" : " name") + " it as their primary's kvm-host: "
                + String.join(", ", runbooks.stream().map(Runbook::service).toList()) + ".");
        out.println("1. Guard, once for the host: lock host-down." + kvmHost + " (exit 9 when held); with --event-id: the host event"
                + " deduplicated (10), still a problem (13), the KVM host not in maintenance (11).");
        out.println("2. Proof, once: the KVM host's libvirt asked for its domains and every VM's check ports tried, in parallel."
                + " Silent with its domain not running (or libvirt not answering): proven dead, its own confirm and fence skipped;"
                + " its domain still running: its own run confirms and fences it; its service answering: left alone."
                + " Nothing down: exit 14.");
        out.println("3. Kill switch and circuit breaker: the host counts as ONE failure (held: exit 15; `vcr approve --host "
                + kvmHost + "` lets it through).");
        out.println("4. Each VM's own Zabbix host's maintenance and its open vm-down problems, asked once (one request with the"
                + " proof): a VM in maintenance is left alone; one whose maintenance cannot be told follows maintenance-unknown ("
                + (cfg.zabbix() == null ? "no Zabbix API configured: not asked" : cfg.zabbix().maintenanceUnknown().name().toLowerCase(java.util.Locale.ROOT))
                + ").");
        out.println("5. Each VM's recovery (its lock, standby start/resume and check, DNS compare-and-swap, report, audit), at most "
                + l.parallel() + " at once, " + l.perStandbyHost() + " per standby host, " + l.perZone() + " per DNS zone, "
                + l.perBackend() + " per standby backend (vcr.yaml host-down:); one failing holds back no other. A VM's own open problem gets"
                + " its steps (acknowledged when recovered).");
        out.println("6. One summary acknowledgement on the host's event (N recovered / not, with times); exit 0 when all"
                + " that were down (and not in maintenance) are recovered, 19 when some are not.");
        Map<String, Integer> perKey = new ConcurrentHashMap<>();
        for (Runbook rb : runbooks) for (String k : Limiter.keys(rb)) perKey.merge(k, 1, Integer::sum);
        out.println("Runbooks per limit key: " + new java.util.TreeMap<>(perKey) + ".");
        for (Runbook rb : runbooks) {
            out.println("  " + rb.service() + ": primary " + (rb.primary().domain() == null ? rb.primary().address()
                    : rb.primary().domain() + " (" + rb.primary().address() + ")") + " -> " + String.join(", ",
                    rb.standbys().stream().map(s -> s.name() + " (" + s.kind().yaml() + ")").toList()) + "; DNS " + rb.dns().fqdn());
        }
        for (String line : org.vcrecovery.vcr.breaker.BreakerPlan.describe(cfg, HostDown.PREFIX + kvmHost)) out.println(line);
        out.flush();
    }
}
