package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/** An action as {@code action.get} returns it (its conditions and operations are set through {@link ActionSpec}). */
public record Action(String actionId, String name, int eventSource, boolean enabled, String escPeriod) {
    public Action {
        if (actionId == null) throw new NullPointerException("actionId == null");
    }

    static Action from(JsonNode n) {
        return new Action(Json.text(n, "actionid"), Json.text(n, "name"), Json.integer(n, "eventsource"),
                Json.integer(n, "status") == 0, Json.text(n, "esc_period", ""));
    }
}
