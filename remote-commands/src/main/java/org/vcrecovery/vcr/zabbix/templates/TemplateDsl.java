package org.vcrecovery.vcr.zabbix.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small vocabulary {@link VcrTemplates} is written in: one template at a time, objects in
 * the order they are added, UUIDs derived from each object's path by {@link Uuids}. Produces the
 * tree of a Zabbix 6.0 export (format version 6.0), which {@link YamlEmitter} writes.
 */
final class TemplateDsl {
    static final String GROUP = "Templates/vcrecovery";

    final String name;
    private final String description;
    private final List<Map<String, Object>> items = new ArrayList<>();
    private final List<Map<String, Object>> discoveryRules = new ArrayList<>();
    private final List<Map<String, Object>> triggers = new ArrayList<>();
    private final List<Map<String, Object>> graphs = new ArrayList<>();
    private final List<Map<String, Object>> macros = new ArrayList<>();
    private final List<Map<String, Object>> dashboards = new ArrayList<>();
    private final List<Map<String, Object>> valuemaps = new ArrayList<>();

    TemplateDsl(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /** A map of the non-null pairs, in order. */
    static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    static List<Map<String, Object>> tags(String... kv) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) out.add(m("tag", kv[i], "value", kv[i + 1]));
        return out;
    }

    String uuid(String kind, String id) {
        return Uuids.of("template/" + name + "/" + kind + "/" + id);
    }

    /** A trigger-function reference to an item of this template: {@code /name/key}. */
    String ref(String key) {
        return "/" + name + "/" + key;
    }

    TemplateDsl macro(String macro, String value, String description) {
        macros.add(m("macro", macro, "value", value, "description", description));
        return this;
    }

    TemplateDsl valuemap(String mapName, String... pairs) {
        List<Map<String, Object>> mappings = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) mappings.add(m("value", pairs[i], "newvalue", pairs[i + 1]));
        valuemaps.add(m("uuid", uuid("valuemap", mapName), "name", mapName, "mappings", mappings));
        return this;
    }

    /** An item; {@code extra} pairs (type, delay, units, valuemap...) go between key and description. */
    TemplateDsl item(String key, String itemName, String description, List<Map<String, Object>> tags, Object... extra) {
        items.add(itemMap("item", key, itemName, description, tags, extra));
        return this;
    }

    Map<String, Object> itemMap(String kind, String key, String itemName, String description,
            List<Map<String, Object>> tags, Object... extra) {
        Map<String, Object> it = m("uuid", uuid(kind, key), "name", itemName);
        Map<String, Object> ex = m(extra);
        if (ex.containsKey("type")) it.put("type", ex.remove("type"));
        it.put("key", key);
        it.putAll(ex);
        it.put("description", description);
        if (tags != null && !tags.isEmpty()) it.put("tags", tags);
        return it;
    }

    TemplateDsl trigger(String triggerName, String expression, String priority, String description,
            List<Map<String, Object>> tags, List<Map<String, Object>> dependencies) {
        triggers.add(m("uuid", uuid("trigger", triggerName), "expression", expression, "name", triggerName,
                "priority", priority, "description", description,
                "dependencies", dependencies == null || dependencies.isEmpty() ? null : dependencies,
                "tags", tags));
        return this;
    }

    /**
     * A trigger with hysteresis: it fires on {@code expression} and resolves only on
     * {@code recoveryExpression} (Zabbix's recovery mode "recovery expression"). Its UUID is derived
     * from {@code uuidName}: the name of the trigger it replaces, so an import updates that one in
     * place instead of leaving it next to this one.
     */
    TemplateDsl trigger(String uuidName, String triggerName, String expression, String recoveryExpression, String priority,
            String description, List<Map<String, Object>> tags, List<Map<String, Object>> dependencies) {
        triggers.add(m("uuid", uuid("trigger", uuidName), "expression", expression, "recovery_mode", "RECOVERY_EXPRESSION",
                "recovery_expression", recoveryExpression, "name", triggerName,
                "priority", priority, "description", description,
                "dependencies", dependencies == null || dependencies.isEmpty() ? null : dependencies,
                "tags", tags));
        return this;
    }

    /**
     * A trigger that closes on {@code recoveryExpression} instead of when {@code expression} stops
     * being true (hysteresis); otherwise as {@link #trigger}.
     */
    TemplateDsl trigger(String triggerName, String expression, String recoveryExpression, String priority, String description,
            List<Map<String, Object>> tags) {
        triggers.add(m("uuid", uuid("trigger", triggerName), "expression", expression,
                "recovery_mode", "RECOVERY_EXPRESSION", "recovery_expression", recoveryExpression, "name", triggerName,
                "priority", priority, "description", description, "tags", tags));
        return this;
    }

    static Map<String, Object> dependency(String triggerName, String expression) {
        return m("name", triggerName, "expression", expression);
    }

    /** A dependency on a trigger with a recovery expression: Zabbix finds it by all three. */
    static Map<String, Object> dependency(String triggerName, String expression, String recoveryExpression) {
        return m("name", triggerName, "expression", expression, "recovery_expression", recoveryExpression);
    }

    TemplateDsl graph(String graphName, String... keysAndColors) {
        graphs.add(m("uuid", uuid("graph", graphName), "name", graphName,
                "graph_items", graphItems(keysAndColors)));
        return this;
    }

    List<Map<String, Object>> graphItems(String... keysAndColors) {
        List<Map<String, Object>> gi = new ArrayList<>();
        for (int i = 0; i < keysAndColors.length; i += 2) {
            gi.add(m("sortorder", i == 0 ? null : String.valueOf(i / 2), "color", keysAndColors[i + 1],
                    "item", m("host", name, "key", keysAndColors[i])));
        }
        return gi;
    }

    TemplateDsl discoveryRule(Map<String, Object> rule) {
        discoveryRules.add(rule);
        return this;
    }

    TemplateDsl dashboard(String dashboardName, List<Map<String, Object>> widgets) {
        dashboards.add(m("uuid", uuid("dashboard", dashboardName), "name", dashboardName,
                "pages", List.of(m("widgets", widgets))));
        return this;
    }

    static Map<String, Object> widget(String type, String widgetName, int x, int y, int w, int h,
            List<Map<String, Object>> fields) {
        return m("type", type, "name", widgetName, "x", x == 0 ? null : String.valueOf(x),
                "y", y == 0 ? null : String.valueOf(y), "width", String.valueOf(w),
                "height", String.valueOf(h), "fields", fields);
    }

    static Map<String, Object> field(String type, String fieldName, Object value) {
        return m("type", type, "name", fieldName, "value", value);
    }

    /** The template's entry under {@code zabbix_export.templates}. */
    Map<String, Object> template(String digestLine) {
        return m("uuid", Uuids.of("template/" + name), "template", name, "name", name,
                "description", digestLine == null ? description : description + "\n\n" + digestLine,
                "groups", List.of(m("name", GROUP)),
                "items", items.isEmpty() ? null : items,
                "discovery_rules", discoveryRules.isEmpty() ? null : discoveryRules,
                "macros", macros.isEmpty() ? null : macros,
                "dashboards", dashboards.isEmpty() ? null : dashboards,
                "valuemaps", valuemaps.isEmpty() ? null : valuemaps);
    }

    /** The whole export document of this one template. */
    Map<String, Object> export(String digestLine) {
        return m("zabbix_export", m(
                "version", "6.0",
                "groups", List.of(m("uuid", Uuids.of("group/" + GROUP), "name", GROUP)),
                "templates", List.of(template(digestLine)),
                "triggers", triggers.isEmpty() ? null : triggers,
                "graphs", graphs.isEmpty() ? null : graphs));
    }
}
