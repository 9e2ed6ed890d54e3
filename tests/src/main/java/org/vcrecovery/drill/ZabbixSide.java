package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * The drill's view of the sandbox's Zabbix: the Zabbix host standing for the KVM host (created
 * linked to "vcrecovery KVM host" when absent), the primary VM's state item, its problems and
 * the acknowledgement of the event. Every API failure becomes a {@link DrillException} naming the call.
 */
final class ZabbixSide implements AutoCloseable {
    static final String KVM_TEMPLATE = "vcrecovery KVM host";

    private final ZabbixApi api;
    private final String kvmHost;
    private String kvmHostId;

    ZabbixSide(URI apiUrl, Path tokenFile, String kvmHost) {
        try {
            this.api = ZabbixApi.builder(apiUrl).tokenFile(tokenFile).requestTimeout(Duration.ofSeconds(20)).build();
        } catch (IOException e) {
            throw new DrillException(4, "cannot read the Zabbix token " + tokenFile + ": " + e.getMessage());
        }
        this.kvmHost = kvmHost;
    }

    JsonNode call(String method, Object params) {
        try {
            return api.call(method, params);
        } catch (ZabbixApiException e) {
            throw new DrillException(3, "Zabbix API " + method + " failed: " + Sh.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * The KVM host's Zabbix host id: created in {@code group} with an agent interface on
     * {@code agent} and linked to the KVM template when absent; the template is linked when missing;
     * {@code macros} (e.g. a paused standby VM that is not trouble) are set.
     */
    String ensureKvmHost(String group, String agentIp, int agentPort, Map<String, String> macros) {
        JsonNode tpl = call("template.get", Map.of("output", List.of("templateid"), "filter", Map.of("host", List.of(KVM_TEMPLATE))));
        if (tpl.isEmpty()) throw new DrillException(1, "template \"" + KVM_TEMPLATE + "\" is not in Zabbix: vcr zabbix install did not import it");
        String tplId = tpl.path(0).path("templateid").asText();
        JsonNode g = call("hostgroup.get", Map.of("output", List.of("groupid"), "filter", Map.of("name", List.of(group))));
        if (g.isEmpty()) throw new DrillException(3, "host group " + group + " is missing: run tests/env/up");
        List<Map<String, String>> macroList = macros.entrySet().stream()
                .map(e -> Map.of("macro", e.getKey(), "value", e.getValue())).toList();
        JsonNode h = call("host.get", Map.of("output", List.of("hostid"), "filter", Map.of("host", List.of(kvmHost)),
                "selectParentTemplates", List.of("templateid")));
        if (h.isEmpty()) {
            kvmHostId = call("host.create", Map.of("host", kvmHost,
                    "groups", List.of(Map.of("groupid", g.path(0).path("groupid").asText())),
                    "templates", List.of(Map.of("templateid", tplId)),
                    "macros", macroList,
                    "interfaces", List.of(Map.of("type", 1, "main", 1, "useip", 1, "ip", agentIp, "dns", "",
                            "port", Integer.toString(agentPort))))).path("hostids").path(0).asText();
        } else {
            kvmHostId = h.path(0).path("hostid").asText();
            boolean linked = false;
            for (JsonNode t : h.path(0).path("parentTemplates")) linked |= t.path("templateid").asText().equals(tplId);
            Map<String, Object> upd = new java.util.LinkedHashMap<>(Map.of("hostid", kvmHostId, "macros", macroList));
            if (!linked) upd.put("templates", List.of(Map.of("templateid", tplId)));
            call("host.update", upd);
        }
        return kvmHostId;
    }

    /**
     * The ids of the plain Zabbix hosts (no template, no interface: what a VM's host needs for its
     * maintenance to be asked) named {@code names}, by name; those absent are created in {@code group}
     * in one call.
     */
    Map<String, String> ensureHosts(String group, List<String> names) {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (JsonNode h : call("host.get", Map.of("output", List.of("hostid", "host"), "filter", Map.of("host", names)))) {
            ids.put(h.path("host").asText(), h.path("hostid").asText());
        }
        List<Map<String, Object>> create = new java.util.ArrayList<>();
        if (ids.size() < names.size()) {
            JsonNode g = call("hostgroup.get", Map.of("output", List.of("groupid"), "filter", Map.of("name", List.of(group))));
            if (g.isEmpty()) throw new DrillException(3, "host group " + group + " is missing: run tests/env/up");
            for (String n : names) {
                if (!ids.containsKey(n)) create.add(Map.of("host", n, "groups", List.of(Map.of("groupid", g.path(0).path("groupid").asText()))));
            }
            JsonNode made = call("host.create", create);
            int i = 0;
            for (String n : names) if (!ids.containsKey(n)) ids.put(n, made.path("hostids").path(i++).asText());
        }
        return ids;
    }

    /** A one-time maintenance (with data collection) of {@code hostIds} that began a minute ago and lasts 10 minutes; its id. */
    String maintenance(String name, List<String> hostIds) {
        try {
            return api.createMaintenance(name, hostIds, Instant.now().minusSeconds(60), Duration.ofMinutes(11));
        } catch (ZabbixApiException e) {
            throw new DrillException(3, "Zabbix API maintenance.create failed: " + Sh.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** The item id of {@code vcr.vm.state[vm]} on the KVM host, if discovery created it. */
    Optional<JsonNode> stateItem(String vm) {
        JsonNode items = call("item.get", Map.of("output", List.of("itemid", "lastvalue", "lastclock", "lastns"),
                "hostids", List.of(kvmHostId), "filter", Map.of("key_", "vcr.vm.state[" + vm + "]")));
        return items.isEmpty() ? Optional.empty() : Optional.of(items.path(0));
    }

    /** Open problems of the KVM host tagged vm=VM: event ids with their clock+ns. */
    List<Problem> problems(String vm) {
        JsonNode ps = call("problem.get", Map.of("output", List.of("eventid", "clock", "ns", "name"),
                "hostids", List.of(kvmHostId), "tags", List.of(Map.of("tag", "vm", "value", vm, "operator", "1")),
                "recent", false));
        return java.util.stream.StreamSupport.stream(ps.spliterator(), false)
                .map(p -> new Problem(p.path("eventid").asText(), instant(p), p.path("name").asText())).toList();
    }

    record Problem(String eventId, Instant clock, String name) {}

    /** The first value of {@code vcr.vm.state[vm]} equal to {@code value} stamped at or after {@code since}. */
    Optional<Instant> firstValue(String itemId, String value, Instant since) {
        JsonNode h = call("history.get", Map.of("output", "extend", "history", 3, "itemids", List.of(itemId),
                "time_from", since.getEpochSecond(), "sortfield", "clock", "sortorder", "ASC", "limit", 50));
        Instant best = null;
        for (JsonNode v : h) {
            Instant t = instant(v);
            if (v.path("value").asText().equals(value) && !t.isBefore(since) && (best == null || t.isBefore(best))) best = t;
        }
        return Optional.ofNullable(best);
    }

    /** event.get of one event: acknowledged flag, clock+ns, ack messages and the trigger id. */
    JsonNode event(String eventId) {
        JsonNode e = call("event.get", Map.of("output", "extend", "eventids", List.of(eventId),
                "select_acknowledges", "extend"));
        return e.path(0);
    }

    static Instant instant(JsonNode n) {
        return Instant.ofEpochSecond(n.path("clock").asLong(), n.path("ns").asLong());
    }

    String kvmHostId() {
        return kvmHostId;
    }

    @Override
    public void close() {
        api.close();
    }
}
