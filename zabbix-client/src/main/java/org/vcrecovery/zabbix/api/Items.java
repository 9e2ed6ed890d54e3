package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.MANY;
import static org.vcrecovery.zabbix.api.ApiSession.ONE;
import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Items, triggers and history ({@code item.*}, {@code trigger.*}, {@code history.get}). */
final class Items {
    private static final List<String> ITEM_FIELDS = List.of("itemid", "hostid", "name", "key_", "type", "value_type",
            "lastvalue", "lastclock", "state", "error");
    private static final Comparator<HistoryValue> NEWEST_FIRST =
            Comparator.comparingLong(HistoryValue::clock).thenComparingInt(HistoryValue::ns).reversed();

    private final ApiSession api;

    Items(ApiSession api) {
        this.api = api;
    }

    Optional<Item> byKey(String host, String key) throws ZabbixApiException {
        return Json.first(Json.list(api.call("item.get", Map.of("output", ITEM_FIELDS, "host", host,
                "filter", Map.of("key_", List.of(key))), ONE), Item::from));
    }

    List<Item> ofHost(String hostId) throws ZabbixApiException {
        return Json.list(api.call("item.get", Map.of("output", ITEM_FIELDS, "hostids", List.of(hostId)), MANY), Item::from);
    }

    String createTrapper(String hostId, String name, String key, ValueType valueType) throws ZabbixApiException {
        return Json.firstId(api.call("item.create", Map.of("hostid", hostId, "name", name, "key_", key,
                "type", Item.TYPE_TRAPPER, "value_type", valueType.code()), TINY), "itemids");
    }

    List<Trigger> triggers(String hostId) throws ZabbixApiException {
        return Json.list(api.call("trigger.get", Map.of("output", List.of("triggerid", "description", "expression",
                "priority", "value", "status", "manual_close"), "hostids", List.of(hostId), "expandExpression", true), MANY),
                Trigger::from);
    }

    String createTrigger(String description, String expression, int priority, boolean manualClose)
            throws ZabbixApiException {
        return Json.firstId(api.call("trigger.create", Map.of("description", description, "expression", expression,
                "priority", priority, "manual_close", manualClose ? 1 : 0), TINY), "triggerids");
    }

    List<HistoryValue> history(String itemId, ValueType type, int limit) throws ZabbixApiException {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
        List<HistoryValue> values = new ArrayList<>(Json.list(api.call("history.get", Map.of("output", "extend",
                "history", type.code(), "itemids", List.of(itemId), "sortfield", "clock", "sortorder", "DESC",
                "limit", limit), MANY), HistoryValue::from));
        values.sort(NEWEST_FIRST); // the API sorts by clock only, not by ns
        return List.copyOf(values);
    }
}
