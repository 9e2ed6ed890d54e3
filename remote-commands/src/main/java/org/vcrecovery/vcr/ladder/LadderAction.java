package org.vcrecovery.vcr.ladder;

import java.time.Duration;
import org.vcrecovery.config.Durations;

/**
 * The rungs of the recovery ladder before failover (seed 000's St1 → St2 → Nt). Each constant
 * says what a runbook must give it, how long the primary is re-checked after it by default, the
 * line {@code --plan} prints, and what it does. A new rung is one constant here: the runbook
 * reader, the plan and the recovery's ladder stage ask these and name none of them.
 */
public enum LadderAction {
    /** Runs a Zabbix global script (the runbook's {@code script}) on the primary's Zabbix host. */
    RESTART_SERVICE("restart-service", Duration.ofSeconds(3), Needs.SCRIPT) {
        @Override
        String plan(LadderStep step, String zabbixHost, String domain) {
            return "run Zabbix script '" + step.script() + "' on host " + zabbixHost;
        }

        @Override
        Result run(LadderStep step, Primary primary) throws Exception {
            if (!primary.hasZabbix()) return Result.skipped("no Zabbix API configured");
            String out = primary.runScript(step.script());
            String said = out == null || out.isBlank() ? "" : ": " + (out.length() > 200 ? out.substring(0, 200) + "..." : out);
            return Result.ran("ran script '" + step.script() + "' on " + primary.zabbixHost() + said);
        }
    },
    /** Reboots the primary's libvirt domain. */
    REBOOT_VM("reboot-vm", Duration.ofSeconds(25), Needs.DOMAIN) {
        @Override
        String plan(LadderStep step, String zabbixHost, String domain) {
            return "reboot domain " + domain;
        }

        @Override
        Result run(LadderStep step, Primary primary) throws Exception {
            if (primary.domain() == null) return Result.skipped("the primary is not a libvirt domain");
            primary.reboot();
            return Result.ran("rebooted domain " + primary.domain());
        }
    },
    /** The last rung: fail over to a standby (the recovery's own stages, not run here). */
    FAILOVER("failover", Duration.ZERO, Needs.NOTHING) {
        @Override
        String plan(LadderStep step, String zabbixHost, String domain) {
            return null;
        }

        @Override
        Result run(LadderStep step, Primary primary) {
            throw new IllegalStateException("failover is not climbed: the recovery fails over after the ladder");
        }
    };

    /** What a runbook's rung must name. */
    public enum Needs { NOTHING, SCRIPT, DOMAIN }

    private final String yaml;
    private final Duration defaultWait;
    private final Needs needs;

    LadderAction(String yaml, Duration defaultWait, Needs needs) {
        this.yaml = yaml;
        this.defaultWait = defaultWait;
        this.needs = needs;
    }

    /** The rung's name in a runbook. */
    public String yaml() {
        return yaml;
    }

    /** How long the primary is re-checked after this rung when the runbook gives no {@code wait}. */
    public Duration defaultWait() {
        return defaultWait;
    }

    /** SCRIPT: the rung must name a Zabbix script (and only such a rung may); DOMAIN: the primary must be a libvirt domain. */
    public Needs needs() {
        return needs;
    }

    /** What {@code --plan} says this rung does, without the wait; null for failover. */
    abstract String plan(LadderStep step, String zabbixHost, String domain);

    /** Acts on the primary; a rung that cannot act here is skipped, not failed. */
    abstract Result run(LadderStep step, Primary primary) throws Exception;

    /** The plan line of {@code step} (its action, what it does, then the re-check). */
    public static String planLine(LadderStep step, String zabbixHost, String domain) {
        String does = step.action().plan(step, zabbixHost, domain);
        if (does == null) return step.action().yaml + ": the steps below.";
        return step.action().yaml + ": " + does + ", then re-check the primary for up to " + Durations.format(step.waitFor()) + ".";
    }

    /** Runs {@code step}'s action on {@code primary}. */
    public static Result act(LadderStep step, Primary primary) throws Exception {
        return step.action().run(step, primary);
    }

    /** What a rung acts on: the failed primary, and the means the recovery has to reach it. */
    public interface Primary {
        String zabbixHost();

        /** The libvirt domain, or null when the primary is not one. */
        String domain();

        boolean hasZabbix();

        /** Runs a Zabbix global script on {@link #zabbixHost()} and returns its output on one line. */
        String runScript(String script) throws Exception;

        /** Reboots {@link #domain()}. */
        void reboot() throws Exception;
    }

    /** A rung's outcome: ran (then the primary is re-checked) or skipped, with what happened. */
    public record Result(boolean ran, String detail) {
        static Result ran(String detail) {
            return new Result(true, detail);
        }

        static Result skipped(String detail) {
            return new Result(false, detail);
        }
    }
}
