package org.vcrecovery.vcr.zabbix.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the export tree {@link TemplateDsl} builds (format 6.0) in Zabbix 7.0's own format, so a
 * 7.0 server imports it as is instead of running its 6.0 → 6.2 → 6.4 → 7.0 converters on every
 * import. Does what those converters do (frontend {@code C60ImportConverter},
 * {@code C62ImportConverter}, {@code C64ImportConverter}), once, at generation time:
 * <ul>
 *   <li>{@code groups} becomes {@code template_groups};</li>
 *   <li>dashboard widgets: 7.0's grid has 72 columns where 6.0 has 24, so {@code x} and
 *       {@code width} are tripled (the same layout); widget types are 7.0's module ids
 *       ({@code graph}, {@code graphprototype}, {@code item}); graph widgets get the
 *       {@code reference} field 7.0 gives every widget other widgets can listen to; the 6.0
 *       plain-text widget is 7.0's item history widget with the same item (one column named
 *       after the item, monospace for text, with timestamps); fields sorted by name as 7.0
 *       exports them;</li>
 * </ul>
 * and keeps the objects equal to what 6.0 creates where 7.0 changed a default:
 * <ul>
 *   <li>items and item prototypes without {@code history} get 6.0's default {@code 90d}
 *       (7.0's is 31d; its converter sets 90d on items but not on item prototypes);</li>
 *   <li>discovery rules keep discovered objects enabled until they are deleted
 *       ({@code enabled_lifetime_type: DISABLE_NEVER}), as 6.0 does.</li>
 * </ul>
 * The input tree is not modified.
 */
final class Format70 {
    static final String HISTORY_6_0 = "90d";
    private static final Map<String, String> WIDGET_TYPES = Map.of(
            "GRAPH_CLASSIC", "graph", "GRAPH_PROTOTYPE", "graphprototype", "ITEM", "item", "PLAIN_TEXT", "itemhistory");

    private Format70() {
    }

    /** The 7.0 form of one export document (as {@link TemplateDsl#export} returns it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> convert(Map<String, Object> export60) {
        Map<String, Object> in = (Map<String, Object>) export60.get("zabbix_export");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            switch (e.getKey()) {
                case "version" -> out.put("version", "7.0");
                case "groups" -> out.put("template_groups", e.getValue());
                case "templates" -> out.put("templates", ((List<Map<String, Object>>) e.getValue()).stream()
                        .map(Format70::template).toList());
                default -> out.put(e.getKey(), e.getValue());
            }
        }
        return TemplateDsl.m("zabbix_export", out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> template(Map<String, Object> t) {
        Map<String, Object> out = new LinkedHashMap<>(t);
        List<Map<String, Object>> items = (List<Map<String, Object>>) t.get("items");
        if (items != null) out.put("items", items.stream().map(Format70::item).toList());
        List<Map<String, Object>> rules = (List<Map<String, Object>>) t.get("discovery_rules");
        if (rules != null) out.put("discovery_rules", rules.stream().map(Format70::rule).toList());
        List<Map<String, Object>> dashboards = (List<Map<String, Object>>) t.get("dashboards");
        if (dashboards != null) {
            List<Map<String, Object>> all = items == null ? List.of() : items;
            out.put("dashboards", dashboards.stream().map(d -> dashboard(d, all)).toList());
        }
        return out;
    }

    /** Puts {@code history} right after {@code delay} (or {@code key}) when the item has none. */
    private static Map<String, Object> item(Map<String, Object> item) {
        if (item.containsKey("history")) return item;
        Map<String, Object> out = new LinkedHashMap<>();
        String after = item.containsKey("delay") ? "delay" : "key";
        for (Map.Entry<String, Object> e : item.entrySet()) {
            out.put(e.getKey(), e.getValue());
            if (e.getKey().equals(after)) out.put("history", HISTORY_6_0);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rule(Map<String, Object> rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : rule.entrySet()) {
            if (e.getKey().equals("item_prototypes")) {
                out.put("item_prototypes", ((List<Map<String, Object>>) e.getValue()).stream().map(Format70::item).toList());
            } else {
                out.put(e.getKey(), e.getValue());
            }
            if (e.getKey().equals("lifetime")) out.put("enabled_lifetime_type", "DISABLE_NEVER");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard(Map<String, Object> d, List<Map<String, Object>> items) {
        Map<String, Object> out = new LinkedHashMap<>(d);
        String[] reference = {"AAAAA"};
        List<Map<String, Object>> pages = new ArrayList<>();
        for (Map<String, Object> page : (List<Map<String, Object>>) d.get("pages")) {
            Map<String, Object> p = new LinkedHashMap<>(page);
            p.put("widgets", ((List<Map<String, Object>>) page.get("widgets")).stream()
                    .map(w -> widget(w, items, reference)).toList());
            pages.add(p);
        }
        out.put("pages", pages);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> widget(Map<String, Object> w, List<Map<String, Object>> items, String[] reference) {
        String type60 = (String) w.get("type");
        String type = WIDGET_TYPES.get(type60);
        if (type == null) throw new IllegalArgumentException("no 7.0 form known for widget type " + type60);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : w.entrySet()) {
            switch (e.getKey()) {
                case "type" -> out.put("type", type);
                case "x", "width" -> out.put(e.getKey(), String.valueOf(Integer.parseInt((String) e.getValue()) * 3));
                case "fields" -> { }
                default -> out.put(e.getKey(), e.getValue());
            }
        }
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) w.get("fields")) {
            if (type60.equals("PLAIN_TEXT") && "itemids".equals(f.get("name"))) {
                Map<String, Object> ref = (Map<String, Object>) f.get("value");
                Map<String, Object> item = items.stream().filter(i -> ref.get("key").equals(i.get("key"))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("widget " + w.get("name") + ": no item " + ref.get("key")));
                fields.add(TemplateDsl.field("STRING", "columns.0.name", item.get("name")));
                fields.add(TemplateDsl.field("ITEM", "columns.0.itemid", ref));
                if (List.of("CHAR", "LOG", "TEXT").contains(item.get("value_type"))) {
                    fields.add(TemplateDsl.field("INTEGER", "columns.0.monospace_font", "1"));
                }
            } else {
                fields.add(f);
            }
        }
        if (type60.equals("PLAIN_TEXT")) fields.add(TemplateDsl.field("INTEGER", "show_timestamp", "1"));
        if (!type.equals("item")) {
            fields.add(TemplateDsl.field("STRING", "reference", reference[0]));
            reference[0] = next(reference[0]);
        }
        fields.sort((a, b) -> naturalCompare((String) a.get("name"), (String) b.get("name")));
        out.put("fields", fields);
        return out;
    }

    /** The next widget reference: AAAAA, AAAAB, ... (as Zabbix's converter counts them). */
    static String next(String ref) {
        char[] c = ref.toCharArray();
        for (int i = c.length - 1; i >= 0; i--) {
            if (c[i] < 'Z') {
                c[i]++;
                return new String(c);
            }
            c[i] = 'A';
        }
        return new String(c);
    }

    /** Case-insensitive, digits compared as numbers: PHP's strnatcasecmp for the field names we write. */
    static int naturalCompare(String a, String b) {
        String[] pa = a.toLowerCase().split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] pb = b.toLowerCase().split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = Character.isDigit(pa[i].charAt(0)) && Character.isDigit(pb[i].charAt(0))
                    ? Long.compare(Long.parseLong(pa[i]), Long.parseLong(pb[i])) : pa[i].compareTo(pb[i]);
            if (c != 0) return c;
        }
        return Integer.compare(pa.length, pb.length);
    }
}
