package org.vcrecovery.vcr.recover;

import java.util.concurrent.Callable;
import org.vcrecovery.vcr.config.ConfigOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vcr recover}: what a Zabbix action runs when a VM fails (and what an operator runs by
 * hand). picocli's model of the command line: it builds the {@link RecoverRequest} that
 * {@link RecoverRun} runs (validate, find the runbook, run {@link Recovery} or {@link Failback},
 * print one summary line or the JSON report, exit with the report's code).
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Recover a service on a standby: guard, fence the primary, bring up a standby, switch DNS, acknowledge the event.",
            "The runbook is --runbook NAME|FILE, or the one whose primary is --vm DOMAIN, or whose Zabbix host is --trigger-host HOST.",
            "Unresolved Zabbix macros ({EVENT.TAGS.vm}, *UNKNOWN*) count as not given.",
            "--failback moves the service back from the standby DNS points at to the repaired primary:"
                + " lock; the primary's domain must be running (--start-primary starts or resumes it);"
                + " the primary must pass the runbook's checks (else exit 7, DNS untouched); DNS compare-and-swap"
                + " standby -> primary + verify; then a cold-container or vm standby is stopped, a suspended-vm"
                + " suspended again, a warm one left running. DNS already on the primary: exit 0, nothing changed.",
            "--host-down KVMHOST recovers every VM of a dead KVM host: the runbooks whose primary.kvm-host is KVMHOST, in"
                + " parallel (limits: vcr.yaml host-down:, shown by --plan); the host is proven dead once, counted once by the"
                + " breaker, and its event (--event-id) gets one summary acknowledgement."},
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
            "  15  held: more services failed inside the breaker's window than its limit, or automatic recovery is"
                + " switched off (<state dir>/disabled, or Zabbix global macro {$VCR.AUTO} = 0); nothing touched, the ack"
                + " says why; `vcr approve --service S|--host H` lets the next run of that service go, `vcr approve --held` (the host menu) approves and"
                + " runs the held ones whose runbook is here (runs without --event-id are never held)",
            "--failback: 0 failed back (or already on the primary); 7 the primary is not running or fails its checks"
                + " (DNS untouched); 9 the lock is held; 12 DNS holds no address of this runbook, or a conflict or failed switch.",
            "--pending: each event's output in event order; the code of the first event whose run ended other than 0, 9 or 10"
                + " (0 when none, or nothing is pending); 2 no Zabbix API configured, or --standby is no standby of a runbook here;"
                + " 3 or 4 the API unreachable or refusing us.",
            "--host-down: 0 every VM that was down recovered; 19 some were not (each VM's line says why); 9 10 11 13 15 as"
                + " above for the host (nothing touched); 14 every VM's service answers (nothing touched).",
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

    @Option(names = "--standby", paramLabel = "NAME", description = "Use only this standby of the runbook. With --pending (the"
            + " Zabbix 7.0 host menu's choice): recover only the pending problems whose runbook has it, each with it only.")
    String standby;

    @Option(names = "--plan", description = "Change nothing: print what would happen.")
    boolean plan;

    @Option(names = "--json", description = "Print the full JSON report instead of the summary line.")
    boolean json;

    @Option(names = "--failback", description = "Move the service back from its standby to the repaired primary (see above).")
    boolean failback;

    @Option(names = "--start-primary", description = "With --failback: start or resume the primary's domain if it is not running.")
    boolean startPrimary;

    @Option(names = "--pending", description = "What the Zabbix actions run: recover every vcrecovery problem Zabbix has open,"
            + " unacknowledged, not suppressed and not yet handled by vcr, whose runbook is on this host; the event, host and VM"
            + " come from the Zabbix API, never from the command line (see PendingRecoveries). With --plan: print the plans only.")
    boolean pending;

    @Option(names = "--host-down", paramLabel = "KVMHOST", description = "Recover every runbook whose primary.kvm-host is"
            + " KVMHOST (the KVM host's Zabbix host name, {HOST.HOST}), in parallel; with --event-id the host's event.")
    String hostDown;

    @Override
    public Integer call() {
        return RecoverRun.execute(request(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** What this command line asks, as picocli read it ({@code --verbose} is the root command's: picocli's handler uses it). */
    public RecoverRequest request() {
        return new RecoverRequest(runbook, eventId, triggerHost, vm, standby, plan, json, failback, startPrimary, pending, false,
                options.config(), options.runbooks(), options.stateDir(), System.getenv(), hostDown);
    }
}
