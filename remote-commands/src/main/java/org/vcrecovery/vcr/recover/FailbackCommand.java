package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * The {@code --failback} branch of {@link RecoverRun}: prints the plan ({@code --plan}) or
 * runs {@link Failback} and prints its summary line (or JSON). Returns the exit code.
 */
final class FailbackCommand {
    private FailbackCommand() {}

    static int run(RecoverRequest cmd, PrintWriter out, PrintWriter err, VcrConfig cfg, ZabbixPort zabbix, Runbook rb, String event) {
        if (cmd.plan()) {
            out.println("PLAN ONLY: nothing will be changed.");
            for (String line : Failback.plan(rb, cmd.startPrimary())) out.println(line);
            out.println("This run: " + (event == null ? "no event to acknowledge" : "event " + event)
                    + "; Zabbix " + (cfg.zabbix() == null ? "not configured (no ack, no report)" : cfg.zabbix().url())
                    + "; report " + (cfg.zabbix() == null || cfg.zabbix().trapper() == null ? "not sent (no zabbix.trapper)"
                            : ReportStage.host(rb, null) == null ? "not sent (no standby has a zabbix-host)"
                            : "to the standby's Zabbix host via " + cfg.zabbix().trapper())
                    + "; state in " + cfg.stateDir() + ".");
            out.flush();
            return ExitCode.OK.code();
        }
        DnsPort dns = DnsUpdaterPort.open(rb.dns(), rb.limits().dnsTimeout(), rb.limits().retries());
        RecoveryReport report = new Failback(rb, cfg, zabbix, dns, StandbyBackends.installed(), new ServiceChecker(),
                err).run(event, cmd.startPrimary());
        out.println(cmd.json() ? report.toJson() : report.summary());
        out.flush();
        return report.exitCode().code();
    }
}
