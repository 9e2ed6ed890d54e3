package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A trigger as {@code trigger.get} returns it ({@code expression} as stored, with function ids,
 * unless expanded). {@code problem} is its current value (1 = PROBLEM).
 */
public record Trigger(String triggerId, String description, String expression, int priority, boolean problem,
        boolean enabled, boolean manualClose) {
    public Trigger {
        if (triggerId == null) throw new NullPointerException("triggerId == null");
    }

    static Trigger from(JsonNode n) {
        return new Trigger(Json.text(n, "triggerid"), Json.text(n, "description"), Json.text(n, "expression"),
                Json.integer(n, "priority"), Json.integer(n, "value") == 1, Json.integer(n, "status") == 0,
                Json.integer(n, "manual_close") == 1);
    }
}
