package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An item as {@code item.get} returns it.
 *
 * @param type      item type code (2 = Zabbix trapper, 0 = agent, 3 = simple check, ...)
 * @param lastValue the latest value as text ("" when none yet)
 * @param lastClock epoch seconds of the latest value, 0 when none
 * @param supported state 0 (normal); when false {@code error} says why
 */
public record Item(String itemId, String hostId, String name, String key, int type, ValueType valueType,
        String lastValue, long lastClock, boolean supported, String error) {
    public static final int TYPE_TRAPPER = 2;

    public Item {
        if (itemId == null) throw new NullPointerException("itemId == null");
    }

    static Item from(JsonNode n) {
        return new Item(Json.text(n, "itemid"), Json.text(n, "hostid"), Json.text(n, "name"), Json.text(n, "key_"),
                Json.integer(n, "type"), ValueType.of(Json.integer(n, "value_type")), Json.text(n, "lastvalue", ""),
                Json.number(n, "lastclock"), Json.integer(n, "state") == 0, Json.text(n, "error", ""));
    }
}
