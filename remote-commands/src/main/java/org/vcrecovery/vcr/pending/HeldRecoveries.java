package org.vcrecovery.vcr.pending;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.breaker.Approvals;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.hostdown.HostDownRun;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.RecoverRequest;
import org.vcrecovery.vcr.recover.ZabbixApiPort;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookCommand;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * {@code vcr approve --held}: what the host-menu script "vcrecovery: approve held recovery" runs on
 * the recovery VM's agent, one literal line like {@code vcr recover --pending}. It asks the Zabbix
 * API for the problems a vcr run held ({@link PendingEvents#findHeld}: open, unacknowledged,
 * unsuppressed, the latest vcr message "held: ..."), keeps those whose runbook is on this host,
 * records one service approval for each ({@link Approvals}: the run that follows uses it up), and
 * then runs each as {@code vcr recover --pending} runs a pending event, with every guard (lock,
 * dedup, still-open, maintenance, confirmation) and its acknowledgement.
 *
 * <p>So approving from the menu means: per service, the services held on the VM the menu was
 * opened on, right now; nothing else is let through (another VM's held services, a storm that
 * starts afterwards). A host approval (a KVM host that really died: every service whose primary
 * is that Zabbix host, for 15 minutes) stays a deliberate {@code vcr approve --host H}.
 *
 * <p>stdout: one "approved" line per event, then each event's run output in event order, or one
 * line saying nothing is held here. Exit code as {@code --pending}'s: that of the first run that
 * ended other than 0, 9 or 10; 2 no Zabbix API configured or the approval cannot be recorded, 3 or
 * 4 the API unreachable or refusing us, each before anything was approved.
 */
public final class HeldRecoveries {
    private HeldRecoveries() {}

    public static int run(ConfigOptions options, boolean verbose, PrintWriter out, PrintWriter err) {
        VcrConfig cfg = options.load();
        if (cfg.zabbix() == null) {
            throw new VcrException(ExitCode.USAGE, "--held reads the held problems from the Zabbix API, and vcr.yaml has no"
                    + " zabbix section (url, token-file or user and password-file); nothing was approved");
        }
        PendingEvents.Result found;
        try (ZabbixApi api = ZabbixApiPort.client(cfg.zabbix(), ZabbixApiPort.secret(cfg.zabbix()))) {
            found = PendingEvents.findHeld(api);
        } catch (ZabbixApiException e) {
            throw PendingRecoveries.failure(e, "held", "approved");
        }
        found.tell(err);
        RunbookCatalog catalog = new RunbookCatalog(cfg.runbookDir());
        List<PendingEvents.Event> here = new ArrayList<>();
        List<String> services = new ArrayList<>();
        for (PendingEvents.Event e : found.events()) {
            if (e.vm() == null && HostDownRun.forKvmHost(catalog, e.triggerHost())) { // a KVM host's: approved as one
                here.add(e);
                services.add(HostDownRun.breakerName(e.triggerHost()));
                continue;
            }
            Path p = e.runbookIn(catalog);
            if (p == null) continue;
            here.add(e);
            services.add(RunbookCommand.load(p).service());
        }
        if (here.isEmpty()) {
            out.println("no held vcrecovery recovery for the runbooks in " + catalog.dir() + " (" + found.events().size()
                    + " held in Zabbix): nothing approved");
            out.flush();
            return ExitCode.OK.code();
        }
        Approvals approvals = new Approvals(cfg.stateDir());
        for (int i = 0; i < here.size(); i++) {
            try {
                approvals.approve("service", services.get(i), DedupLog.Now.system());
            } catch (IOException x) {
                throw new VcrException(ExitCode.USAGE, "cannot record the approval of " + services.get(i) + " in state directory "
                        + cfg.stateDir() + ": " + x.getMessage() + (i == 0 ? "; nothing was approved" : "; the ones above were"));
            }
            out.println("approved service " + services.get(i) + " (held " + here.get(i).describe() + "): recovering it now");
        }
        RecoverRequest r = new RecoverRequest(null, null, null, null, null, false, false, false, false, true, verbose,
                options.config(), options.runbooks(), options.stateDir(), System.getenv());
        return PendingRecoveries.runAll(r, here, null, out, err);
    }

}
