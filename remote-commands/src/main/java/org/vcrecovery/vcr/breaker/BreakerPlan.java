package org.vcrecovery.vcr.breaker;

import java.io.IOException;
import java.util.List;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.DedupLog;

/** What {@code vcr recover --plan} says about the circuit breaker and the kill switch, as they stand now. Reads only. */
public final class BreakerPlan {
    private BreakerPlan() {}

    public static List<String> describe(VcrConfig cfg, String service) {
        VcrConfig.Breaker b = cfg.breaker();
        String now;
        try {
            int n = new FailureWindow(cfg.stateDir()).failures(b, DedupLog.Now.system());
            now = n + " service" + (n == 1 ? "" : "s") + " failed inside the window now";
        } catch (IOException e) {
            now = "the current count cannot be read (" + e.getMessage() + "): runs would be held";
        }
        String kill = KillSwitch.byFile(cfg.stateDir()).map(w -> "ON: " + w)
                .orElse("off (" + KillSwitch.file(cfg.stateDir()) + " absent)");
        return List.of(
                "Circuit breaker: an automatic run (with an event) is held, exit 15, once " + b.limit() + " other service"
                        + (b.limit() == 1 ? "" : "s") + " failed inside " + b.window().toSeconds() + " s; " + now + ".",
                "Kill switch: " + kill + "; Zabbix global macro " + KillSwitch.MACRO + " = 0 also switches automatic"
                        + " recovery off (asked by real runs, not by --plan). Runs by hand are never held; `vcr approve --service "
                        + service + "` lets a held run through.");
    }
}
