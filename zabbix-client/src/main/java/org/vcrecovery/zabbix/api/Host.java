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
 * @param maintenanceId the maintenance the server put the host in ({@code "0"} when none; also
 *                      {@code "0"} while {@code inMaintenance} lags a deleted maintenance), or null
 *                      when not requested
 */
public record Host(String hostId, String host, String name, boolean enabled, boolean inMaintenance,
        List<HostInterface> interfaces, List<HostGroup> groups, String maintenanceId) {

    public Host {
        if (hostId == null) throw new NullPointerException("hostId == null");
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /**
     * The server's maintenance flag, unless it is the stale one a deleted maintenance leaves
     * (flag still 1, {@code maintenanceid} already 0) until the server's next minute tick.
     */
    public boolean maintenanceFlagCurrent() {
        return inMaintenance && !"0".equals(maintenanceId);
    }

    static Host from(JsonNode n) {
        JsonNode groups = n.has("hostgroups") ? n.get("hostgroups") : n.get("groups");
        return new Host(Json.text(n, "hostid"), Json.text(n, "host"), Json.text(n, "name"),
                Json.integer(n, "status") == 0, Json.integer(n, "maintenance_status") == 1,
                Json.list(n.get("interfaces"), HostInterface::from), Json.list(groups, HostGroup::from),
                Json.text(n, "maintenanceid"));
    }
}
