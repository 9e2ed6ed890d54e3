package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host interface: {@code type} 1 agent, 2 SNMP, 3 IPMI, 4 JMX; connected by IP when
 * {@code useIp}, else by DNS name. {@code interfaceId} is null for an interface not yet created.
 */
public record HostInterface(String interfaceId, int type, boolean main, boolean useIp, String ip, String dns, String port) {
    public static final int AGENT = 1;
    public static final int SNMP = 2;

    public HostInterface {
        if (type < 1 || type > 4) throw new IllegalArgumentException("type must be 1..4: " + type);
        if (ip == null) ip = "";
        if (dns == null) dns = "";
        if (port == null || port.isEmpty()) throw new IllegalArgumentException("port is empty");
        if (useIp && ip.isEmpty()) throw new IllegalArgumentException("ip is empty but useIp is set");
    }

    /** The main Zabbix agent interface at {@code ip:port}. */
    public static HostInterface agent(String ip, int port) {
        return new HostInterface(null, AGENT, true, true, ip, "", Integer.toString(port));
    }

    static HostInterface from(JsonNode n) {
        return new HostInterface(Json.text(n, "interfaceid"), Json.integer(n, "type"), Json.integer(n, "main") == 1,
                Json.integer(n, "useip") == 1, Json.text(n, "ip", ""), Json.text(n, "dns", ""), Json.text(n, "port", "0"));
    }

    Map<String, Object> toParams() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("main", main ? 1 : 0);
        m.put("useip", useIp ? 1 : 0);
        m.put("ip", ip);
        m.put("dns", dns);
        m.put("port", port);
        if (type == SNMP) m.put("details", Map.of("version", 2, "community", "{$SNMP_COMMUNITY}"));
        return m;
    }
}
