package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One update of an event (acknowledge, message, close...): {@code action} is an {@link AckAction} bitmask. */
public record Acknowledgement(String acknowledgeId, String userId, long clock, String message, int action) {
    static Acknowledgement from(JsonNode n) {
        return new Acknowledgement(Json.text(n, "acknowledgeid"), Json.text(n, "userid"), Json.number(n, "clock"),
                Json.text(n, "message", ""), Json.integer(n, "action"));
    }

    public boolean has(AckAction a) {
        return a.in(action);
    }
}
