package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.FEW;
import static org.vcrecovery.zabbix.api.ApiSession.MANY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * A recovery's questions to Zabbix (is the event resolved, is the host in maintenance, what is a
 * global macro) as one JSON-RPC batch: one HTTP request and one pass through the PHP frontend,
 * where asking them one by one costs a request each (each one loading the frontend again). The
 * decisions are those of the single questions ({@link Maintenances#decide}).
 */
final class Guards {
    private static final List<String> EVENT_FIELDS = List.of("eventid", "source", "objectid", "clock", "value",
            "acknowledged", "name", "severity", "r_eventid", "suppressed");

    private final ApiSession api;
    private final Maintenances maintenances;

    Guards(ApiSession api, Maintenances maintenances) {
        this.api = api;
        this.maintenances = maintenances;
    }

    /** {@code hostName}, {@code eventId}, {@code macro}: each null when not asked about. */
    GuardAnswers ask(String hostName, String eventId, String macro) throws ZabbixApiException {
        List<JsonRpcTransport.Call> calls = new ArrayList<>(4);
        int host = -1, all = -1, event = -1, macroAt = -1;
        if (hostName != null) {
            host = calls.size();
            calls.add(hostsCall(List.of(hostName)));
            all = calls.size();
            calls.add(new JsonRpcTransport.Call("maintenance.get", maintenances.query()));
        }
        if (eventId != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("output", EVENT_FIELDS);
            p.put("eventids", List.of(eventId));
            p.put("selectHosts", List.of("hostid"));
            event = calls.size();
            calls.add(new JsonRpcTransport.Call("event.get", p));
        }
        if (macro != null) {
            macroAt = calls.size();
            calls.add(macroCall(macro));
        }
        if (calls.isEmpty()) return new GuardAnswers(null, null, null, null, null, null);
        List<JsonRpcTransport.Answer> a = api.batch(calls, FEW);

        Optional<Event> ev = Optional.empty();
        ZabbixApiException eventFailure = null;
        if (event >= 0) {
            try {
                ev = Json.first(Json.list(a.get(event).get(), Event::from));
            } catch (ZabbixApiException e) {
                eventFailure = e;
            }
        }
        Boolean resolved = event < 0 || eventFailure != null ? null : ev.map(e -> !"0".equals(e.recoveryEventId())).orElse(false);

        Boolean inMaintenance = null;
        ZabbixApiException maintenanceFailure = null;
        if (host >= 0) {
            try {
                if (eventFailure != null) throw eventFailure;
                Host h = Json.first(Json.list(a.get(host).get(), Host::from)).orElseThrow(() -> ZabbixApiException.of(
                        Reason.NOT_FOUND, "host.get", "no Zabbix host named \"" + hostName + "\"", null));
                inMaintenance = Maintenances.decide(event < 0 ? null : ev, h, a.get(all).get());
            } catch (ZabbixApiException e) {
                maintenanceFailure = e;
            }
        }

        String value = null;
        ZabbixApiException macroFailure = null;
        if (macroAt >= 0) {
            try {
                value = macroValue(a.get(macroAt).get(), macro);
            } catch (ZabbixApiException e) {
                macroFailure = e;
            }
        }
        return new GuardAnswers(resolved, eventFailure, inMaintenance, maintenanceFailure, value, macroFailure);
    }

    /**
     * {@code problem.get} with {@code problemGet}, and in the same request the hosts named
     * {@code hosts} (skipped when empty), every maintenance (with them), the global macro
     * {@code macro} (when not null) and, until the session knows it, the id of the user this
     * client is ({@link ApiSession#selfCall()}). Only the request itself failing throws.
     */
    ProblemsAndGuard withProblems(Map<String, Object> problemGet, Collection<String> hosts, String macro)
            throws ZabbixApiException {
        List<JsonRpcTransport.Call> calls = new ArrayList<>(4);
        calls.add(new JsonRpcTransport.Call("problem.get", problemGet));
        if (!hosts.isEmpty()) {
            calls.add(hostsCall(hosts));
            calls.add(new JsonRpcTransport.Call("maintenance.get", maintenances.query()));
        }
        if (macro != null) {
            calls.add(macroCall(macro));
        }
        JsonRpcTransport.Call self = api.selfCall();
        if (self != null) calls.add(self);
        List<JsonRpcTransport.Answer> a = api.batch(calls, MANY);
        JsonNode hostAnswer = hosts.isEmpty() ? null : a.get(1).result();
        JsonNode all = hosts.isEmpty() ? null : a.get(2).result();
        JsonRpcTransport.Answer m = macro == null ? null : a.get(a.size() - (self == null ? 1 : 2));
        String value = m != null && m.failure() == null ? macroValue(m.result(), macro) : null;
        String userId = api.knownUserId(); // a login before the batch tells it
        ZabbixApiException userFailure = null;
        if (self != null) {
            try {
                userId = api.learnSelf(a.get(a.size() - 1));
            } catch (ZabbixApiException e) {
                userFailure = e;
            }
        }
        return new ProblemsAndGuard(a.get(0).result(), a.get(0).failure(), hostAnswer, all, m != null && m.failure() == null,
                value, userId, userFailure);
    }

    /**
     * For a host-down run: the hosts named {@code hosts} with every maintenance (each host's
     * decision as {@link Maintenances#decide} makes it without an event) and the open vm-down
     * problems of the VMs {@code vms} (by their {@code vm} tag), as one batch. Only the request
     * itself failing throws.
     */
    VmGuardAnswers vms(Collection<String> hosts, Collection<String> vms) throws ZabbixApiException {
        Map<String, Object> problems = new LinkedHashMap<>();
        problems.put("output", List.of("eventid"));
        problems.put("source", 0);
        problems.put("object", 0);
        problems.put("recent", false);
        problems.put("evaltype", 0);
        problems.put("tags", List.of(Map.of("tag", "vcrecovery", "value", "vm-down", "operator", 1)));
        problems.put("selectTags", "extend");
        problems.put("sortfield", List.of("eventid"));
        problems.put("sortorder", "ASC");
        List<JsonRpcTransport.Answer> a = api.batch(List.of(hostsCall(hosts),
                new JsonRpcTransport.Call("maintenance.get", maintenances.query()),
                new JsonRpcTransport.Call("problem.get", problems)), MANY);

        Map<String, Boolean> inMaintenance = null;
        ZabbixApiException maintenanceFailure = null;
        try {
            JsonNode all = a.get(1).get();
            inMaintenance = new LinkedHashMap<>();
            for (Host h : Json.list(a.get(0).get(), Host::from)) {
                if (hosts.contains(h.host())) inMaintenance.put(h.host(), Maintenances.decide(null, h, all));
            }
        } catch (ZabbixApiException e) {
            maintenanceFailure = e;
        }

        Map<String, List<String>> events = null;
        ZabbixApiException eventsFailure = null;
        try {
            events = new LinkedHashMap<>();
            for (JsonNode p : a.get(2).get()) {
                String vm = null;
                for (JsonNode t : p.path("tags")) if (t.path("tag").asText().equals("vm")) vm = t.path("value").asText();
                if (vm != null && vms.contains(vm)) events.computeIfAbsent(vm, k -> new ArrayList<>()).add(p.path("eventid").asText());
            }
        } catch (ZabbixApiException e) {
            eventsFailure = e;
        }
        return new VmGuardAnswers(inMaintenance, maintenanceFailure, events, eventsFailure);
    }

    /** {@code host.get} of the hosts named {@code names}, with only what the maintenance decision reads. */
    private JsonRpcTransport.Call hostsCall(Collection<String> names) throws ZabbixApiException {
        return new JsonRpcTransport.Call("host.get", Map.of("output", List.of("hostid", "host", "name", "status",
                "maintenance_status", "maintenanceid"), "filter", Map.of("host", List.copyOf(names)),
                api.version().hostGroupsParameter(), List.of("groupid")));
    }

    /** {@code usermacro.get} of the global macro {@code macro}. */
    static JsonRpcTransport.Call macroCall(String macro) {
        return new JsonRpcTransport.Call("usermacro.get", Map.of("globalmacro", true, "output", List.of("macro", "value"),
                "filter", Map.of("macro", macro)));
    }

    /** The value of {@code macro} in {@link #macroCall}'s answer, or null when it is not defined. */
    static String macroValue(JsonNode answer, String macro) {
        for (JsonNode m : answer) if (macro.equals(m.path("macro").asText())) return m.path("value").asText();
        return null;
    }
}
