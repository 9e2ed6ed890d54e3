package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Zabbix host as {@code host.get} returns it.
 *
 * @param hostId        the host's id
 * @param host          the technical name (what the sender protocol and item keys use)
 * @param name          the visible name
 * @param enabled       monitored (status 0)
 * @param inMaintenance the server has put the host in maintenance ({@code maintenance_status} 1)
 * @param interfaces    the host's interfaces (empty when not requested)
 * @param groups        the host's groups (empty when not requested)
 */
public record Host(String hostId, String host, String name, boolean enabled, boolean inMaintenance,
        List<HostInterface> interfaces, List<HostGroup> groups) {

    public Host {
        if (hostId == null) throw new NullPointerException("hostId == null");
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    static Host from(JsonNode n) {
        JsonNode groups = n.has("hostgroups") ? n.get("hostgroups") : n.get("groups");
        return new Host(Json.text(n, "hostid"), Json.text(n, "host"), Json.text(n, "name"),
                Json.integer(n, "status") == 0, Json.integer(n, "maintenance_status") == 1,
                Json.list(n.get("interfaces"), HostInterface::from), Json.list(groups, HostGroup::from));
    }
}
