package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.MANY;
import static org.vcrecovery.zabbix.api.ApiSession.ONE;
import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hosts, host groups and templates ({@code host.*}, {@code hostgroup.*}, {@code template.*}). */
final class Hosts {
    private final ApiSession api;

    Hosts(ApiSession api) {
        this.api = api;
    }

    Optional<Host> byName(String host) throws ZabbixApiException {
        return Json.first(hosts(Map.of("filter", Map.of("host", List.of(host))), ONE));
    }

    List<Host> byIp(String ip) throws ZabbixApiException {
        JsonNode ifs = api.call("hostinterface.get", Map.of("output", List.of("hostid"), "filter", Map.of("ip", List.of(ip))), MANY);
        List<String> ids = Json.ids(ifs, "hostid");
        if (ids.isEmpty()) return List.of();
        return hosts(Map.of("hostids", ids), MANY);
    }

    private List<Host> hosts(Map<String, Object> filter, long maxBytes) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>(filter);
        p.put("output", List.of("hostid", "host", "name", "status", "maintenance_status", "maintenanceid"));
        p.put("selectInterfaces", List.of("interfaceid", "type", "main", "useip", "ip", "dns", "port"));
        p.put(api.version().hostGroupsParameter(), List.of("groupid", "name"));
        return Json.list(api.call("host.get", p, maxBytes), Host::from);
    }

    String create(String host, List<String> groupIds, List<HostInterface> interfaces, List<String> templateIds)
            throws ZabbixApiException {
        if (groupIds == null || groupIds.isEmpty()) throw new IllegalArgumentException("groupIds is empty");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("host", host);
        p.put("groups", Json.idObjects("groupid", groupIds));
        List<Map<String, Object>> ifs = new ArrayList<>();
        for (HostInterface i : interfaces) ifs.add(i.toParams());
        p.put("interfaces", ifs);
        p.put("templates", Json.idObjects("templateid", templateIds == null ? List.of() : templateIds));
        return Json.firstId(api.call("host.create", p, TINY), "hostids");
    }

    void delete(List<String> hostIds) throws ZabbixApiException {
        if (!hostIds.isEmpty()) api.call("host.delete", hostIds, MANY);
    }

    Optional<HostGroup> groupByName(String name) throws ZabbixApiException {
        return Json.first(Json.list(api.call("hostgroup.get", Map.of("output", List.of("groupid", "name"),
                "filter", Map.of("name", List.of(name))), ONE), HostGroup::from));
    }

    String createGroup(String name) throws ZabbixApiException {
        return Json.firstId(api.call("hostgroup.create", Map.of("name", name), TINY), "groupids");
    }

    void deleteGroups(List<String> groupIds) throws ZabbixApiException {
        if (!groupIds.isEmpty()) api.call("hostgroup.delete", groupIds, MANY);
    }

    Optional<Template> templateByName(String host) throws ZabbixApiException {
        return Json.first(Json.list(api.call("template.get", Map.of("output", List.of("templateid", "host", "name"),
                "filter", Map.of("host", List.of(host))), ONE), Template::from));
    }

    void deleteTemplates(List<String> templateIds) throws ZabbixApiException {
        if (!templateIds.isEmpty()) api.call("template.delete", templateIds, MANY);
    }
}
