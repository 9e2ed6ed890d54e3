package org.vcrecovery.vcr.rebalance;

import java.util.Objects;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * One service to move, as {@link Chooser} decided: off standby {@code from} (on the overloaded
 * recovery VM) onto standby {@code to} of the same runbook, on {@code to.zabbixHost()}, whose load
 * was {@code targetLoad} (what it was chosen by, for the plan and the report).
 */
record Move(Runbook runbook, Runbook.Standby from, Runbook.Standby to, String targetLoad) {
    Move {
        Objects.requireNonNull(runbook, "runbook == null");
        Objects.requireNonNull(from, "from == null");
        Objects.requireNonNull(to, "to == null");
        Objects.requireNonNull(targetLoad, "targetLoad == null");
    }

    String service() {
        return runbook.service();
    }

    /** {@code web: web-a on vm1 -> web-b on vm2}. */
    @Override
    public String toString() {
        return service() + ": " + from.name() + " on " + from.zabbixHost() + " -> " + to.name() + " on " + to.zabbixHost();
    }
}
