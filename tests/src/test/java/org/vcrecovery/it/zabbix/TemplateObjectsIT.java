package org.vcrecovery.it.zabbix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * The objects {@code vcr zabbix install} leaves in Zabbix are the same on every version: on 6.0
 * it imports {@code zabbix-templates/*.yaml} (format 6.0), on 7.0 {@code zabbix-templates/7.0/}
 * (format 7.0), and what the API then holds, read back version-neutrally (no ids: items by key,
 * value maps and graphs by name; the template digest line dropped; 7.0's 72-column widget
 * geometry in 6.0's 24 columns; 6.0's plain-text widget is 7.0's item history widget) must equal
 * one committed expectation, {@code template-objects.json}. The leg on each version compares with
 * the same file, so 6.0 and 7.0 are proven equal to each other.
 *
 * <p>Items, item prototypes, discovery rules (with their filter), triggers and trigger prototypes
 * (expression, dependencies, tags), graphs and graph prototypes, macros, value maps, and the
 * dashboards (widget type, name, geometry, the items and graphs they show). Rewrite the file
 * after a template change with {@code -Dvcr.template.objects.write=true} on 6.0, then run on 7.0.
 * A 6.0-format import on 7.0 would fail it: 7.0's converter leaves item prototypes at 7.0's
 * default history of 31d (6.0: 90d).
 *
 * <p>Also: the server holds the digest of the export in its own format, and a second install
 * finds every template up to date.
 */
class TemplateObjectsIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    static final Path EXPECTED = Path.of("src/test/resources/org/vcrecovery/it/zabbix/template-objects.json");
    private static final List<String> ITEM_FIELDS = List.of("uuid", "name", "type", "key_", "delay", "history", "trends",
            "status", "value_type", "trapper_hosts", "units", "valuemapid", "params", "description");
    private static final List<String> TRIGGER_FIELDS = List.of("uuid", "description", "expression", "priority", "comments",
            "status", "type", "recovery_mode", "recovery_expression", "correlation_mode", "correlation_tag",
            "manual_close", "event_name", "opdata");
    private static final List<String> GRAPH_FIELDS = List.of("uuid", "name", "width", "height", "yaxismin", "yaxismax",
            "show_work_period", "show_triggers", "graphtype", "show_legend", "show_3d", "ymin_type", "ymax_type");

    static Sandbox sandbox;
    static ZabbixApi api;
    static List<String> previousInstall;
    static boolean seven;

    @BeforeAll
    static void install() throws Exception {
        sandbox = Sandbox.get();
        InstallIT.sandbox = sandbox;
        api = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .tokenFile(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
        seven = api.version().atLeast(7, 0);
        previousInstall = InstallIT.previousInstall(api);
        VcrRun r = InstallIT.install();
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @AfterAll
    static void restore() {
        if (api == null) return;
        try {
            InstallIT.restore(previousInstall);
        } finally {
            api.close();
        }
    }

    @Test
    void theTemplatesObjectsEqualTheOnesEveryOtherZabbixVersionGets() throws Exception {
        ObjectNode actual = JSON.createObjectNode();
        for (String name : List.of(InstallIT.KVM, InstallIT.SERVICE, InstallIT.STANDBY, InstallIT.POOL)) actual.set(name, template(name));
        // Keys sorted: the versions return some objects' fields in different orders.
        String text = JSON.writeValueAsString(JSON.convertValue(actual, Object.class)) + "\n";
        Path expected = InstallIT.repo().resolve("tests").resolve(EXPECTED);
        if (Boolean.getBoolean("vcr.template.objects.write")) {
            Files.createDirectories(expected.getParent());
            Files.writeString(expected, text, StandardCharsets.UTF_8);
        }
        Path seen = Path.of("target", "template-objects-" + sandbox.value(Sandbox.ZABBIX_VERSION) + ".json");
        Files.createDirectories(seen.getParent());
        Files.writeString(seen, text, StandardCharsets.UTF_8);
        assertThat(text).as("objects on Zabbix %s (written to tests/%s) against %s",
                sandbox.value(Sandbox.ZABBIX_VERSION), seen, EXPECTED).isEqualTo(Files.readString(expected));
    }

    /**
     * The file imported is the one in the server's own format (7.0/ on 7.0: its digest is in the
     * template's description), and a second install finds every template up to date.
     */
    @Test
    void installImportsTheExportInTheServersFormatAndASecondRunIsUpToDate() throws Exception {
        org.vcrecovery.vcr.zabbix.TemplateBundle bundle = org.vcrecovery.vcr.zabbix.TemplateBundle
                .load(InstallIT.repo().resolve("zabbix-templates")).forVersion(api.version());
        assertThat(bundle.files()).hasSize(4).allSatisfy(f -> assertThat(f.path().getParent().getFileName().toString())
                .isEqualTo(seven ? "7.0" : "zabbix-templates"));
        for (org.vcrecovery.vcr.zabbix.TemplateBundle.TemplateFile f : bundle.files()) {
            org.vcrecovery.vcr.zabbix.TemplateBundle.Template t = f.templates().get(0);
            JsonNode held = api.call("template.get", Map.of("output", List.of("description"),
                    "filter", Map.of("host", List.of(t.name()))));
            assertThat(held.path(0).path("description").asText()).as(t.name())
                    .endsWith(org.vcrecovery.vcr.zabbix.TemplateBundle.DIGEST_PREFIX + t.digest());
        }
        VcrRun again = InstallIT.install();
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out().lines().filter(l -> l.startsWith("template ")).toList()).as(again.out())
                .containsExactlyInAnyOrder("template " + InstallIT.KVM + ": up to date",
                        "template " + InstallIT.SERVICE + ": up to date", "template " + InstallIT.STANDBY + ": up to date",
                        "template " + InstallIT.POOL + ": up to date");
    }

    private static ObjectNode template(String name) throws Exception {
        JsonNode t = api.call("template.get", Map.of("output", List.of("templateid", "host", "name", "description"),
                "filter", Map.of("host", List.of(name)),
                seven ? "selectTemplateGroups" : "selectGroups", List.of("name"))).path(0);
        String id = t.path("templateid").asText();
        List<String> ids = List.of(id);
        ObjectNode out = JSON.createObjectNode();
        out.put("name", t.path("name").asText());
        out.put("description", t.path("description").asText().replaceAll("[\\r\\n]*vcrecovery template digest: [0-9a-f]{16}$", ""));
        out.set("groups", sorted(strip(t.path(seven ? "templategroups" : "groups"), "groupid"), "name"));

        JsonNode valuemaps = api.call("valuemap.get", Map.of("output", List.of("uuid", "valuemapid", "name"),
                "hostids", ids, "selectMappings", "extend"));
        Map<String, String> valuemapNames = new HashMap<>();
        valuemaps.forEach(v -> valuemapNames.put(v.path("valuemapid").asText(), v.path("name").asText()));
        out.set("valuemaps", sorted(strip(valuemaps, "valuemapid"), "name"));
        out.set("macros", sorted(strip(api.call("usermacro.get", Map.of("output", List.of("macro", "value", "description", "type"),
                "hostids", ids)), "hostmacroid"), "macro"));

        Map<String, String> keys = new HashMap<>();
        JsonNode items = api.call("item.get", Map.of("output", withId(ITEM_FIELDS, "itemid"), "templateids", ids,
                "selectTags", "extend"));
        JsonNode prototypes = api.call("itemprototype.get", Map.of("output", withId(ITEM_FIELDS, "itemid"), "templateids", ids,
                "selectTags", "extend", "selectDiscoveryRule", List.of("key_")));
        items.forEach(i -> keys.put(i.path("itemid").asText(), i.path("key_").asText()));
        prototypes.forEach(i -> keys.put(i.path("itemid").asText(), i.path("key_").asText()));
        out.set("items", sorted(items(items, valuemapNames), "key_"));
        out.set("item_prototypes", sorted(items(prototypes, valuemapNames), "key_"));
        out.set("discovery_rules", sorted(strip(api.call("discoveryrule.get", Map.of("output", List.of("uuid", "name", "type",
                "key_", "delay", "lifetime", "trapper_hosts", "status", "description"), "templateids", ids,
                "selectFilter", "extend")), "itemid"), "key_"));
        out.set("triggers", sorted(triggers(api.call("trigger.get", Map.of("output", TRIGGER_FIELDS, "templateids", ids,
                "expandExpression", true, "selectTags", "extend", "selectDependencies", List.of("description")))), "uuid"));
        out.set("trigger_prototypes", sorted(triggers(api.call("triggerprototype.get", Map.of("output", TRIGGER_FIELDS,
                "templateids", ids, "expandExpression", true, "selectTags", "extend",
                "selectDependencies", List.of("description")))), "uuid"));
        Map<String, String> graphNames = new HashMap<>();
        JsonNode graphs = api.call("graph.get", Map.of("output", withId(GRAPH_FIELDS, "graphid"), "templateids", ids,
                "selectGraphItems", List.of("itemid", "color", "sortorder", "drawtype", "calc_fnc", "yaxisside", "type")));
        JsonNode graphPrototypes = api.call("graphprototype.get", Map.of("output", withId(GRAPH_FIELDS, "graphid"),
                "templateids", ids, "selectGraphItems", List.of("itemid", "color", "sortorder", "drawtype", "calc_fnc",
                        "yaxisside", "type")));
        graphs.forEach(g -> graphNames.put(g.path("graphid").asText(), g.path("name").asText()));
        graphPrototypes.forEach(g -> graphNames.put(g.path("graphid").asText(), g.path("name").asText()));
        out.set("graphs", sorted(graphs(graphs, keys), "name"));
        out.set("graph_prototypes", sorted(graphs(graphPrototypes, keys), "name"));
        out.set("dashboards", dashboards(id, keys, graphNames));
        return out;
    }

    private static ArrayNode items(JsonNode items, Map<String, String> valuemapNames) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode i : items) {
            ObjectNode o = ((ObjectNode) i.deepCopy());
            o.remove("itemid");
            o.put("valuemapid", valuemapNames.getOrDefault(o.path("valuemapid").asText(), ""));
            if (o.has("discoveryRule")) o.set("discoveryRule", o.path("discoveryRule").path("key_"));
            out.add(o);
        }
        return out;
    }

    /** Without ids; dependencies by name. */
    private static ArrayNode triggers(JsonNode triggers) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode t : triggers) {
            ObjectNode o = ((ObjectNode) t.deepCopy());
            o.remove("triggerid");
            List<String> deps = new ArrayList<>();
            t.path("dependencies").forEach(d -> deps.add(d.path("description").asText()));
            deps.sort(null);
            ArrayNode a = o.putArray("dependencies");
            deps.forEach(a::add);
            if (t.has("tags")) o.set("tags", sorted(t.path("tags"), "tag")); // 6.0 and 7.0 list them in different orders
            out.add(o);
        }
        return out;
    }

    private static ArrayNode graphs(JsonNode graphs, Map<String, String> keys) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode g : graphs) {
            ObjectNode o = ((ObjectNode) g.deepCopy());
            o.remove("graphid");
            ArrayNode gi = JSON.createArrayNode();
            for (JsonNode i : g.path("gitems")) {
                ObjectNode c = ((ObjectNode) i.deepCopy());
                c.remove("gitemid");
                c.remove("graphid");
                c.put("itemid", keys.get(i.path("itemid").asText()));
                gi.add(c);
            }
            o.set("gitems", sorted(gi, "sortorder"));
            out.add(o);
        }
        return out;
    }

    /** Widgets as an operator sees them; field names differ between versions, what they show does not. */
    private static ArrayNode dashboards(String templateId, Map<String, String> keys, Map<String, String> graphNames) throws Exception {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode d : api.call("templatedashboard.get", Map.of("output", List.of("uuid", "name"),
                "templateids", List.of(templateId), "selectPages", "extend"))) {
            ObjectNode o = JSON.createObjectNode();
            o.put("uuid", d.path("uuid").asText());
            o.put("name", d.path("name").asText());
            ArrayNode widgets = JSON.createArrayNode();
            int columns = seven ? 3 : 1;
            for (JsonNode page : d.path("pages")) {
                for (JsonNode w : page.path("widgets")) {
                    ObjectNode x = JSON.createObjectNode();
                    String type = w.path("type").asText();
                    x.put("type", type.equals("plaintext") ? "itemhistory" : type);
                    x.put("name", w.path("name").asText());
                    x.put("x", w.path("x").asInt() / columns);
                    x.put("y", w.path("y").asInt());
                    x.put("width", w.path("width").asInt() / columns);
                    x.put("height", w.path("height").asInt());
                    List<String> shows = new ArrayList<>();
                    for (JsonNode f : w.path("fields")) {
                        String v = f.path("value").asText();
                        switch (f.path("type").asText()) {
                            case "4", "5" -> shows.add("item " + keys.get(v));
                            case "6", "7" -> shows.add("graph " + graphNames.get(v));
                            default -> { }
                        }
                    }
                    shows.sort(null);
                    ArrayNode s = x.putArray("shows");
                    shows.forEach(s::add);
                    widgets.add(x);
                }
            }
            o.set("widgets", sorted(widgets, "name"));
            out.add(o);
        }
        return out;
    }

    private static List<String> withId(List<String> fields, String id) {
        List<String> out = new ArrayList<>(fields);
        out.add(id);
        return out;
    }

    private static ArrayNode strip(JsonNode array, String field) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode n : array) {
            ObjectNode o = ((ObjectNode) n.deepCopy());
            o.remove(field);
            for (JsonNode m : o.path("mappings")) ((ObjectNode) m).remove("valuemapid");
            out.add(o);
        }
        return out;
    }

    private static ArrayNode sorted(JsonNode array, String field) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        list.sort(Comparator.comparing((JsonNode n) -> n.path(field).asText()).thenComparing(JsonNode::toString));
        ArrayNode out = JSON.createArrayNode();
        list.forEach(out::add);
        return out;
    }
}
