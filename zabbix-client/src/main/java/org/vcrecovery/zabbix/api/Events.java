package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.FEW;
import static org.vcrecovery.zabbix.api.ApiSession.MANY;
import static org.vcrecovery.zabbix.api.ApiSession.ONE;
import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Problems, events and their acknowledgements ({@code problem.get}, {@code event.get}, {@code event.acknowledge}). */
final class Events {
    private final ApiSession api;

    Events(ApiSession api) {
        this.api = api;
    }

    List<Problem> ofTrigger(String triggerId) throws ZabbixApiException {
        return problems(Map.of("objectids", List.of(triggerId)), FEW);
    }

    List<Problem> ofHost(String hostId) throws ZabbixApiException {
        return problems(Map.of("hostids", List.of(hostId)), MANY);
    }

    // Every parameter here is in problem.get's strict list (7.0+ refuses any other).
    private List<Problem> problems(Map<String, Object> filter, long maxBytes) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>(filter);
        p.put("output", "extend");
        p.put("selectAcknowledges", "extend");
        p.put("recent", true);
        p.put("sortfield", List.of("eventid"));
        p.put("sortorder", "DESC");
        return Json.list(api.call("problem.get", p, maxBytes), Problem::from);
    }

    Optional<Event> event(String eventId) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("output", "extend");
        p.put("eventids", List.of(eventId));
        p.put(api.version().eventAcknowledgesParameter(), "extend");
        p.put("selectHosts", List.of("hostid"));
        return Json.first(Json.list(api.call("event.get", p, ONE), Event::from));
    }

    void acknowledge(String eventId, Set<AckAction> actions, String message) throws ZabbixApiException {
        if (actions.isEmpty()) throw new IllegalArgumentException("actions is empty");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("eventids", List.of(eventId));
        p.put("action", AckAction.mask(actions));
        if (message != null && actions.contains(AckAction.MESSAGE)) p.put("message", message);
        api.call("event.acknowledge", p, TINY);
    }
}
