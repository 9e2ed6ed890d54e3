package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An unresolved (or recently resolved) problem as {@code problem.get} returns it.
 *
 * @param eventId   the problem event's id (what {@code event.acknowledge} takes)
 * @param triggerId the trigger that raised it ({@code objectid})
 * @param resolved  a recovery event exists
 * @param suppressed Zabbix suppresses it (a maintenance covers it, or a user suppressed it)
 */
public record Problem(String eventId, String triggerId, String name, int severity, long clock, boolean acknowledged,
        boolean resolved, List<Acknowledgement> acknowledges, boolean suppressed) {
    public Problem {
        if (eventId == null) throw new NullPointerException("eventId == null");
        acknowledges = acknowledges == null ? List.of() : List.copyOf(acknowledges);
    }

    static Problem from(JsonNode n) {
        return new Problem(Json.text(n, "eventid"), Json.text(n, "objectid"), Json.text(n, "name"),
                Json.integer(n, "severity"), Json.number(n, "clock"), Json.integer(n, "acknowledged") == 1,
                !"0".equals(Json.text(n, "r_eventid", "0")), Json.list(n.get("acknowledges"), Acknowledgement::from),
                Json.integer(n, "suppressed") == 1);
    }
}
