package org.vcrecovery.vcr.rebalance;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.ConfigOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vcr rebalance}: moves recovered services off an overloaded recovery VM, make-before-break
 * ({@link RebalanceRun}: {@link Chooser} decides, {@link Mover} moves).
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
        description = {"Move recovered services off an overloaded recovery VM (--from: its Zabbix host, a standby's zabbix-host),"
                + " make-before-break: start the service's standby on the least loaded other recovery VM with room, check it,"
                + " switch DNS (compare-and-swap, verified), wait out the record's TTL, then stop the old container.",
            "Least loaded: lowest CPU average (item " + RebalanceZabbix.CPU_AVG + " in Zabbix, when vcr.yaml has a zabbix section),"
                + " then fewest services served. Holds the service's lock, as vcr recover does.",
            "--pending (what the Zabbix action runs, a literal line): for each recovery VM the runbooks name (or --from only)"
                + " that has an open, unacknowledged, unsuppressed problem tagged vcrecovery=rebalance in Zabbix (raised on the"
                + " CPU average, not one sample) and whose average is still reported; the kill switch and an open circuit breaker"
                + " hold it (exit 15);"
                + " every step goes on the problem as a message. The action runs again every minute while the problem lasts"
                + " (one more service each time, --max at a time); acknowledging the problem stops that."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "   0  moved (each: started, checked, DNS switched and verified, TTL waited, old stopped), or the plan;"
                + " --pending: also nothing to do (no open problem, or its average not confirmed)",
            "   2  bad input: --from names no recovery VM of the runbooks, an unknown --service, bad options: nothing changed",
            "   3  a DNS server or Zabbix did not answer before anything changed",
            "   6  the record changed meanwhile (no longer the old standby's): nothing changed",
            "   7  the new standby did not start or failed its checks: stopped again, DNS untouched",
            "   9  a recovery or move of the service holds its lock: nothing changed",
            "  12  the DNS switch or its verification failed: the service stays where it was",
            "  15  --pending held by the kill switch or an open circuit breaker: nothing changed",
            "  16  no other recovery VM with room can run the service(s): nothing moved",
            "  17  no recovered service runs on --from (or not the one --service names): nothing moved"})
public final class RebalanceCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--from", paramLabel = "HOST", description = "The recovery VM to unload: its Zabbix host ({HOST.HOST}).")
    String from;

    @Option(names = "--service", paramLabel = "NAME", description = "Move only this service.")
    String service;

    @Option(names = "--plan", description = "Change nothing: print the recovery VMs' loads and what would move where.")
    boolean plan;

    @Option(names = "--pending", description = "Act only on open CPU-high problems in Zabbix (see above); --from optional.")
    boolean pending;

    @Option(names = "--json", description = "Print each move's full JSON report instead of its summary line.")
    boolean json;

    @Option(names = "--max", paramLabel = "N", defaultValue = "1", description = "Move at most N services (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--max-load", paramLabel = "PCT", defaultValue = "50",
            description = "A target's CPU average must be below PCT %% (default: ${DEFAULT-VALUE}).")
    double maxLoad;

    @Option(names = "--drain", paramLabel = "DURATION",
            description = "Wait this long between the DNS switch and stopping the old container (default: the record's TTL).")
    String drain;

    @Override
    public Integer call() {
        Duration d;
        try {
            d = drain == null ? null : Durations.parse(drain);
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, "--drain: " + e.getMessage() + "; nothing was changed");
        }
        return RebalanceRun.execute(new RebalanceRequest(from, service, plan, pending, json, max, maxLoad, d,
                options.config(), options.runbooks(), options.stateDir(), System.getenv()),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
