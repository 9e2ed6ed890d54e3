package org.vcrecovery.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What one chaos run saw, for {@link Invariants}.
 *
 * @param entry          the planned fault
 * @param t0             when the primary was destroyed (or the false alarm forged)
 * @param eventId        the Zabbix problem event of the failure, or null when none was found
 * @param seen           each change of the name's answer the outside watcher saw during the run
 * @param beforeRerun    the name's answer after the fault was undone, before the rerun (the standby's: the
 *                       action's run recovered by itself; else only the operator's rerun did)
 * @param finalDns       the name's answer at the end (after restore and the rerun)
 * @param standbyUp      whether the standby answered HTTP at the end
 * @param primaryUp      whether the primary domain ran and its service answered at the end
 * @param lockFree       whether the service's lock could be taken at the end
 * @param ackMessages    the event's acknowledgement messages; {@code acknowledged} its flag
 * @param audit          the audit lines of this run (its own vcr runs and the rerun), oldest first
 * @param rerunExit      the rerun's exit code (null: none ran), {@code rerunOut} its output
 * @param stoppedLogged  when the listener logged the primary's STOPPED event (it then acknowledged the value)
 * @param stateValues    the primary's vcr.vm.state values Zabbix stored since the failure: "clock.ns value"
 * @param listenerKilled when the listener was SIGKILLed, or null
 * @param runbookUnfenced whether the runbook allows switching unfenced
 * @param notes          what the faults did, for the report
 */
record Observed(Plan.Entry entry, Instant t0, String eventId, List<Seen> seen, List<String> beforeRerun, List<String> finalDns, boolean standbyUp,
                boolean primaryUp, boolean lockFree, boolean acknowledged, List<String> ackMessages, List<JsonNode> audit,
                Integer rerunExit, String rerunOut, List<Instant> stoppedLogged, List<Value> stateValues, Instant listenerKilled,
                boolean runbookUnfenced, List<String> notes) {

    /** The watcher saw the name answer {@code answer} at {@code at}: the address answered HTTP ({@code up}), the primary ran ({@code primaryActive}, null: unknown). */
    record Seen(Instant at, List<String> answer, boolean up, Boolean primaryActive) {}

    /** A value of the state item: its clock and value. */
    record Value(Instant clock, String value) {}
}
