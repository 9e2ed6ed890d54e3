package org.vcrecovery.vcr.ladder;

import java.time.Duration;
import java.util.Objects;

/**
 * One rung of a runbook's ladder: {@code script} is the Zabbix global script a
 * {@link LadderAction.Needs#SCRIPT} rung runs on the primary host (null otherwise); {@code waitFor}
 * is how long the primary is re-checked afterwards before moving on.
 */
public record LadderStep(LadderAction action, String script, Duration waitFor) {
    public LadderStep {
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(waitFor, "waitFor == null");
    }
}
