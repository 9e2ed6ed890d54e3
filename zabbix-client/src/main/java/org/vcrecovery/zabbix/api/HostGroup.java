package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A host group. */
public record HostGroup(String groupId, String name) {
    public HostGroup {
        if (groupId == null) throw new NullPointerException("groupId == null");
    }

    static HostGroup from(JsonNode n) {
        return new HostGroup(Json.text(n, "groupid"), Json.text(n, "name"));
    }
}
