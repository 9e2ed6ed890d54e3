package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A template: {@code host} is its technical name, {@code name} the visible one. */
public record Template(String templateId, String host, String name) {
    public Template {
        if (templateId == null) throw new NullPointerException("templateId == null");
    }

    static Template from(JsonNode n) {
        return new Template(Json.text(n, "templateid"), Json.text(n, "host"), Json.text(n, "name"));
    }
}
