package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.MANY;
import static org.vcrecovery.zabbix.api.ApiSession.ONE;
import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Global scripts and trigger actions ({@code script.*}, {@code action.*}). */
final class Scripts {
    private static final List<String> SCRIPT_FIELDS = List.of("scriptid", "name", "command", "type", "scope",
            "execute_on", "description");

    private final ApiSession api;

    Scripts(ApiSession api) {
        this.api = api;
    }

    Optional<Script> byName(String name) throws ZabbixApiException {
        return Json.first(Json.list(api.call("script.get", Map.of("output", SCRIPT_FIELDS,
                "filter", Map.of("name", List.of(name))), ONE), Script::from));
    }

    String create(Script script) throws ZabbixApiException {
        if (script.scriptId() != null) throw new IllegalArgumentException("script already has an id: " + script.scriptId());
        return Json.firstId(api.call("script.create", script.toParams(), TINY), "scriptids");
    }

    void update(Script script) throws ZabbixApiException {
        if (script.scriptId() == null) throw new IllegalArgumentException("scriptId == null: nothing to update");
        api.call("script.update", script.toParams(), TINY);
    }

    void delete(List<String> scriptIds) throws ZabbixApiException {
        if (!scriptIds.isEmpty()) api.call("script.delete", scriptIds, MANY);
    }

    ScriptResult execute(String scriptId, String hostId) throws ZabbixApiException {
        JsonNode r = api.call("script.execute", Map.of("scriptid", scriptId, "hostid", hostId), ONE);
        return new ScriptResult(Json.text(r, "response", ""), Json.text(r, "value", ""));
    }

    Optional<Action> actionByName(String name) throws ZabbixApiException {
        return Json.first(Json.list(api.call("action.get", Map.of("output", List.of("actionid", "name", "eventsource",
                "status", "esc_period"), "filter", Map.of("name", List.of(name))), ONE), Action::from));
    }

    String createAction(ActionSpec spec) throws ZabbixApiException {
        return Json.firstId(api.call("action.create", spec.toParams(), TINY), "actionids");
    }

    void updateAction(String actionId, ActionSpec spec) throws ZabbixApiException {
        Map<String, Object> p = spec.toParams();
        p.remove("eventsource");
        p.put("actionid", actionId);
        api.call("action.update", p, TINY);
    }

    void deleteActions(List<String> actionIds) throws ZabbixApiException {
        if (!actionIds.isEmpty()) api.call("action.delete", actionIds, MANY);
    }
}
