package org.vcrecovery.vcr.breaker;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.pending.HeldRecoveries;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookCommand;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vcr approve --service S | --host H}: records an operator's approval of the recoveries
 * the circuit breaker or the kill switch held ({@link Approvals}: valid 15 minutes; a service's
 * is used by its next run, a host's by every run of its services until it expires). It runs
 * nothing itself: the next {@code vcr recover} of that service, with its event (Zabbix
 * repeating the action, the host menu, or by hand), goes through. A service must have a
 * runbook; a host must be a plain Zabbix technical name. Exit 0, or 2 with one line and nothing
 * recorded.
 *
 * <p>{@code vcr approve --held} is the host menu's literal line ("vcrecovery: approve held
 * recovery"): it approves the services held on this host and runs their recoveries
 * ({@link org.vcrecovery.vcr.pending.HeldRecoveries}, which documents its exit codes).
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Let the recoveries held by the circuit breaker or the kill switch (exit 15) run: the next run of the"
                + " service (--service), or every run of the services whose primary is the Zabbix host (--host),"
                + " for 15 minutes. Runs nothing itself.",
            "--held (the host menu's \"approve held recovery\"): approve every service a run held whose open problem's runbook is"
                + " on this host, and run those recoveries now (exit code as recover --pending's)."})
public final class ApproveCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--service", paramLabel = "NAME", required = true, description = "The runbook (service) to approve.")
        String service;

        @Option(names = "--host", paramLabel = "HOST", required = true, description = "The primary's Zabbix host to approve.")
        String host;

        @Option(names = "--held", required = true,
                description = "Approve and recover now the held problems (from the Zabbix API) whose runbook is on this host.")
        boolean held;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (target.held) return HeldRecoveries.run(options, false, out, spec.commandLine().getErr());
        VcrConfig cfg = options.load();
        String kind;
        String name;
        if (target.service != null) {
            if (!Names.isName(target.service)) throw new VcrException(ExitCode.USAGE, "--service '" + target.service
                    + "' is not a runbook name (letters, digits, '.', '_', '-'); nothing was approved");
            kind = "service";
            name = RunbookCommand.load(new RunbookCatalog(cfg.runbookDir()).resolve(target.service)).service();
        } else {
            if (!Names.isName(target.host)) throw new VcrException(ExitCode.USAGE, "--host '" + target.host
                    + "' is not a Zabbix technical host name vcr can approve (letters, digits, '.', '_', '-'); nothing was approved");
            kind = "host";
            name = target.host;
        }
        DedupLog.Now now = DedupLog.Now.system();
        try {
            new Approvals(cfg.stateDir()).approve(kind, name, now);
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot record the approval in state directory " + cfg.stateDir() + ": "
                    + e.getMessage() + "; nothing was approved", e);
        }
        String until = DateTimeFormatter.ISO_LOCAL_TIME.format(now.wall().plus(Approvals.VALIDITY).atOffset(ZoneOffset.UTC)
                .toLocalTime().withNano(0));
        out.println("approved " + kind + " " + name + " until " + until + " UTC: "
                + (kind.equals("service") ? "its next recovery" : "recoveries of its services")
                + " will not be held by the breaker or the kill switch; rerun the held event with"
                + " `vcr recover --runbook SERVICE --event-id ID` (or the host menu)");
        out.flush();
        return ExitCode.OK.code();
    }
}
