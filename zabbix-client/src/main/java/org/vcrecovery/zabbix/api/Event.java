package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An event as {@code event.get} returns it: {@code source} 0 trigger events; {@code objectId} the
 * trigger for those; {@code problem} true for a PROBLEM event, false for an OK (recovery) one;
 * {@code recoveryEventId} "0" while unresolved; {@code suppressed} true while Zabbix suppresses the
 * event (a maintenance covers it, or a user suppressed it): what the server decided for this event,
 * unlike the host's {@code maintenance_status}, which lags a maintenance's end by up to a minute.
 */
public record Event(String eventId, int source, String objectId, long clock, boolean problem, boolean acknowledged,
        String name, int severity, String recoveryEventId, List<Acknowledgement> acknowledges, List<String> hostIds,
        boolean suppressed) {
    public Event {
        if (eventId == null) throw new NullPointerException("eventId == null");
        acknowledges = acknowledges == null ? List.of() : List.copyOf(acknowledges);
        hostIds = hostIds == null ? List.of() : List.copyOf(hostIds);
    }

    static Event from(JsonNode n) {
        return new Event(Json.text(n, "eventid"), Json.integer(n, "source"), Json.text(n, "objectid"),
                Json.number(n, "clock"), Json.integer(n, "value") == 1, Json.integer(n, "acknowledged") == 1,
                Json.text(n, "name"), Json.integer(n, "severity"), Json.text(n, "r_eventid", "0"),
                Json.list(n.get("acknowledges"), Acknowledgement::from), Json.ids(n.get("hosts"), "hostid"),
                Json.integer(n, "suppressed") == 1);
    }
}
