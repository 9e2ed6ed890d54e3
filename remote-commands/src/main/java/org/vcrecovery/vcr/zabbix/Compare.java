package org.vcrecovery.vcr.zabbix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Desired-versus-existing comparison: what makes {@code vcr zabbix install} idempotent.
 *
 * <p>Only the fields we set are compared, after normalising what the API returns: every scalar
 * as its string form (the API returns numbers as strings), missing fields as empty, and for
 * actions the conditions and operations as sorted lists of their defining values (ids the server
 * assigns, defaults it adds and the order it returns them in are ignored). Fields a newer
 * Zabbix adds (7.x {@code manualinput}, ...) are therefore never a difference.
 */
final class Compare {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Compare() {
    }

    /** Names of the fields of {@code desired} whose value differs in {@code existing}, in order. */
    static List<String> scriptDiff(ScriptSpecs.Spec desired, JsonNode existing) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> f : desired.fields().entrySet()) {
            if (!String.valueOf(f.getValue()).equals(text(existing.path(f.getKey())))) out.add(f.getKey());
        }
        return out;
    }

    /**
     * What differs between the desired action fields (as {@link ActionSpecs#fields} builds them)
     * and an {@code action.get} result with {@code selectFilter}/{@code selectOperations} extended:
     * some of {@code status}, {@code esc_period}, {@code eventsource}, {@code conditions},
     * {@code operations}.
     */
    static List<String> actionDiff(Map<String, Object> desired, JsonNode existing) {
        JsonNode d = JSON.valueToTree(desired);
        List<String> out = new ArrayList<>();
        for (String f : List.of("eventsource", "status", "esc_period")) {
            if (!text(d.path(f)).equals(text(existing.path(f)))) out.add(f);
        }
        if (!text(d.path("filter").path("evaltype")).equals(text(existing.path("filter").path("evaltype")))
                || !conditions(d).equals(conditions(existing))) {
            out.add("conditions");
        }
        if (!operations(d).equals(operations(existing))) out.add("operations");
        return out;
    }

    static List<String> conditions(JsonNode action) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : action.path("filter").path("conditions")) {
            out.add(text(c.path("conditiontype")) + "|" + text(c.path("operator")) + "|"
                    + text(c.path("value")) + "|" + text(c.path("value2")));
        }
        out.sort(null);
        return out;
    }

    static List<String> operations(JsonNode action) {
        List<String> out = new ArrayList<>();
        for (JsonNode op : action.path("operations")) {
            TreeSet<String> hosts = new TreeSet<>();
            op.path("opcommand_hst").forEach(h -> hosts.add(text(h.path("hostid"))));
            TreeSet<String> groups = new TreeSet<>();
            op.path("opcommand_grp").forEach(g -> groups.add(text(g.path("groupid"))));
            String from = text(op.path("esc_step_from"));
            String to = text(op.path("esc_step_to"));
            out.add(text(op.path("operationtype")) + "|script=" + text(op.path("opcommand").path("scriptid"))
                    + "|hosts=" + hosts + "|groups=" + groups
                    + "|steps=" + (from.isEmpty() ? "1" : from) + "-" + (to.isEmpty() ? "1" : to));
        }
        out.sort(null);
        return out;
    }

    /** A scalar's string form; missing or null is "". */
    static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? "" : n.asText();
    }
}
