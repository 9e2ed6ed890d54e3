package org.vcrecovery.it.listener;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.vcrecovery.it.Sandbox;

/**
 * What the listener end-to-end tests share on the sandbox's real Zabbix: its JSON-RPC API with
 * the sandbox's token, hosts carrying the listener's trapper LLD rule, item ids and history, and
 * a libvirt test-driver domain that is created and destroyed. {@link #close()} deletes the hosts
 * it created. API errors are {@link IOException}s naming the method.
 */
final class ListenerZabbix implements AutoCloseable {
    /** An item prototype of the rule {@code vcr.vm.discovery}. */
    enum Prototype {
        STATE("state {#VM.NAME}", "vcr.vm.state[{#VM.NAME}]", 3),
        EVENT("event {#VM.NAME}", "vcr.vm.event[{#VM.NAME}]", 4);

        final String name;
        final String key;
        final int valueType;

        Prototype(String name, String key, int valueType) {
            this.name = name;
            this.key = key;
            this.valueType = valueType;
        }
    }

    final ZabbixApi api;
    private final String groupId;
    private final boolean zabbix60;   // the sandbox runs 6.0 (tests/env/up --zabbix 6.0), not 7.0
    private final List<String> hostIds = new ArrayList<>();

    ListenerZabbix(Sandbox sandbox) throws IOException, InterruptedException {
        api = new ZabbixApi(sandbox.value(Sandbox.ZABBIX_API_URL), Files.readString(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).trim());
        zabbix60 = sandbox.value(Sandbox.ZABBIX_VERSION).startsWith("6.");
        groupId = api.call("hostgroup.get", Map.of("filter", Map.of("name", List.of(sandbox.value(Sandbox.ZABBIX_HOSTGROUP)))))
                .get(0).get("groupid").asText();
    }

    /** A host (with {@code interfaces}, if any) with the trapper LLD rule vcr.vm.discovery and {@code prototypes}; returns its id. */
    String createHostWithLld(String name, List<Map<String, Object>> interfaces, Prototype... prototypes)
            throws IOException, InterruptedException {
        Map<String, Object> h = new HashMap<>(Map.of("host", name, "groups", List.of(Map.of("groupid", groupId))));
        if (!interfaces.isEmpty()) h.put("interfaces", interfaces);
        String id = api.call("host.create", h).get("hostids").get(0).asText();
        hostIds.add(id);
        Map<String, Object> rule = new HashMap<>(Map.of("hostid", id, "name", "VMs", "key_", "vcr.vm.discovery",
                "type", 2, "lifetime", "1h"));
        // 7.0 disables a lost VM's items at once by default (enabled_lifetime_type 2): a destroyed
        // VM's last event would be refused. Never disable, as the shipped template does; 6.0 has no such field.
        if (!zabbix60) rule.put("enabled_lifetime_type", 1);
        String ruleId = api.call("discoveryrule.create", rule).get("itemids").get(0).asText();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Prototype p : prototypes) {
            items.add(Map.of("hostid", id, "ruleid", ruleId, "name", p.name, "key_", p.key, "type", 2, "value_type", p.valueType));
        }
        api.call("itemprototype.create", items);
        return id;
    }

    /** The id of {@code key} on the host, or null while discovery has not created it. */
    String itemId(String hostId, String key) throws IOException, InterruptedException {
        JsonNode r = api.call("item.get", Map.of("hostids", hostId, "filter", Map.of("key_", key), "output", List.of("itemid")));
        return r.size() == 0 ? null : r.get(0).get("itemid").asText();
    }

    /** The newest {@code limit} history values of {@code key} (history {@code type}), oldest first; empty without the item. */
    List<String> history(String hostId, String key, int type, int limit) throws IOException, InterruptedException {
        String id = itemId(hostId, key);
        List<String> out = new ArrayList<>();
        if (id == null) return out;
        JsonNode r = api.call("history.get", Map.of("itemids", id, "history", type, "sortfield", "clock",
                "sortorder", "DESC", "limit", limit, "output", "extend"));
        List<JsonNode> rows = new ArrayList<>();
        r.forEach(rows::add);
        rows.sort((a, b) -> a.get("clock").asLong() != b.get("clock").asLong()
                ? Long.compare(a.get("clock").asLong(), b.get("clock").asLong())
                : Long.compare(a.get("ns").asLong(), b.get("ns").asLong()));
        for (JsonNode row : rows) out.add(row.get("value").asText());
        return out;
    }

    /**
     * Starts test-driver domain {@code vm} on {@code libvirtUri}, waits until Zabbix has discovered
     * its event item on the host (the listener saw STARTED), then destroys it.
     */
    void startAndDestroyDomain(String libvirtUri, String hostId, String vm) throws Exception {
        Connect c = new Connect(libvirtUri);
        try {
            Domain d = c.domainCreateXML("<domain type='test'><name>" + vm + "</name><memory>8192</memory>"
                    + "<vcpu>1</vcpu><os><type>hvm</type></os></domain>", 0);
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                    .until(() -> itemId(hostId, "vcr.vm.event[" + vm + "]") != null);
            d.destroy();
            d.free();
        } finally {
            c.close();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!hostIds.isEmpty()) api.call("host.delete", hostIds);
    }

    /** Zabbix JSON-RPC with an API token (the 6.0 "auth" field). */
    static final class ZabbixApi {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String url;
        private final String token;

        ZabbixApi(String url, String token) {
            this.url = url;
            this.token = token;
        }

        JsonNode call(String method, Object params) throws IOException, InterruptedException {
            ObjectNode req = JSON.createObjectNode();
            req.put("jsonrpc", "2.0").put("method", method).put("id", 1).put("auth", token);
            req.set("params", JSON.valueToTree(params));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json-rpc").POST(HttpRequest.BodyPublishers.ofString(req.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (body.has("error")) throw new IOException(method + ": " + body.get("error"));
            return body.get("result");
        }
    }
}
