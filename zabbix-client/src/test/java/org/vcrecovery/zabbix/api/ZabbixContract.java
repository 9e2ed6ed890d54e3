package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A WireMock stand-in for the API of one Zabbix version that refuses, as that version does, what
 * its published change lists say it refuses: the body's {@code auth} field from 7.2 (ZBXNEXT-9452),
 * a missing {@code Authorization: Bearer} header from 6.4, {@code user.login}'s {@code user} from
 * 6.4 (ZBXNEXT-8085), {@code select_acknowledges} on {@code event.get} and {@code selectGroups} on
 * {@code host.get}/{@code maintenance.get}/{@code script.get} from 7.2, the {@code groups} import
 * rule from 6.2, and any parameter a method does not list (7.0's strict validation of
 * {@code problem.get} and others, 7.4's of {@code user.get}). Every refusal is answered as Zabbix
 * answers it (a JSON-RPC error) and recorded in {@link #violations()}. Other answers come from
 * {@link #answer}; a method without one answers {@code []}.
 */
final class ZabbixContract implements ResponseDefinitionTransformerV2 {
    static final String TOKEN = "contract-token-0123456789";
    static final String SESSION = "contract-session-0123456789";
    /** The user id {@code user.login} names when asked with {@code userData}. */
    static final String USER_ID = "7";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GET = Set.of("output", "countOutput", "editable", "excludeSearch", "filter",
            "limit", "preservekeys", "search", "searchByAny", "searchWildcardsEnabled", "sortfield", "sortorder",
            "startSearch");

    private final ZabbixVersion version;
    private final Map<String, String> answers = new HashMap<>();
    private final Set<String> refused = Collections.synchronizedSet(new java.util.HashSet<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> methods = Collections.synchronizedList(new ArrayList<>());

    ZabbixContract(String version) {
        this.version = ZabbixVersion.parse(version);
    }

    @Override
    public String getName() {
        return "zabbix-contract-" + version;
    }

    ZabbixVersion version() {
        return version;
    }

    /** Answers {@code method} with {@code resultJson}. */
    ZabbixContract answer(String method, String resultJson) {
        answers.put(method, resultJson);
        return this;
    }

    /** Refuses {@code method} as Zabbix refuses a role without the permission ("No permissions to call ..."). */
    ZabbixContract refuse(String method) {
        refused.add(method);
        return this;
    }

    /** What a request carried that this version refuses, one line each. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** The methods called, in order. */
    List<String> methods() {
        return List.copyOf(methods);
    }

    /** The top-level parameters {@code method} takes on this version; null: not checked (create/update objects). */
    Set<String> accepted(String method) {
        boolean v72 = version.atLeast(7, 2);
        return switch (method) {
            case "user.login" -> version.atLeast(6, 4) ? Set.of("username", "password", "userData")
                    : Set.of("username", "user", "password", "userData");
            case "user.get" -> get("userids", "usrgrpids", "mediaids", "mediatypeids", "getAccess", "selectMedias",
                    "selectMediatypes", "selectUsrgrps", "selectRole", "limitSelects");
            case "host.get" -> get(v72 ? null : "selectGroups", "groupids", "hostids", "interfaceids", "itemids",
                    "maintenanceids", "monitored_hosts", "proxyids", "templated_hosts", "templateids", "triggerids",
                    "evaltype", "tags", "severities", "selectHostGroups", "selectInterfaces", "selectInventory", "selectItems",
                    "selectMacros", "selectParentTemplates", "selectTags", "selectTriggers", "limitSelects");
            case "hostinterface.get" -> get("hostids", "interfaceids", "itemids", "triggerids", "selectHosts", "selectItems");
            case "hostgroup.get" -> get("graphids", "groupids", "hostids", "maintenanceids", "triggerids", "with_hosts",
                    "selectHosts", "limitSelects");
            case "template.get" -> get("templateids", "groupids", "parentTemplateids", "hostids", "graphids", "itemids",
                    "triggerids", "with_items", "with_triggers", "selectTemplateGroups", "selectTags", "selectHosts",
                    "selectTemplates", "selectParentTemplates", "selectHttpTests", "selectItems", "selectDiscoveries",
                    "selectTriggers", "selectGraphs", "selectMacros", "selectDashboards", "selectValueMaps", "limitSelects");
            case "item.get" -> get("itemids", "groupids", "templateids", "hostids", "proxyids", "interfaceids", "graphids",
                    "triggerids", "webitems", "inherited", "templated", "monitored", "group", "host", "evaltype", "tags",
                    "with_triggers", "selectHosts", "selectInterfaces", "selectTriggers", "selectGraphs", "selectDiscoveryRule",
                    "selectItemDiscovery", "selectPreprocessing", "selectTags", "selectValueMap", "limitSelects");
            case "trigger.get" -> get("triggerids", "groupids", "templateids", "hostids", "itemids", "functions", "group",
                    "host", "inherited", "templated", "monitored", "active", "maintenance", "withUnacknowledgedEvents",
                    "withAcknowledgedEvents", "withLastEventUnacknowledged", "skipDependent", "lastChangeSince",
                    "lastChangeTill", "only_true", "min_severity", "evaltype", "tags", "expandComment", "expandDescription",
                    "expandExpression", "selectHostGroups", "selectHosts", "selectItems", "selectFunctions",
                    "selectDependencies", "selectDiscoveryRule", "selectLastEvent", "selectTags", "selectTriggerDiscovery",
                    "limitSelects");
            case "history.get" -> get("history", "hostids", "itemids", "time_from", "time_till");
            case "problem.get" -> get("eventids", "groupids", "hostids", "objectids", "source", "object", "severities",
                    "eventid_from", "eventid_till", "time_from", "time_till", "acknowledged", "action", "action_userids",
                    "suppressed", "symptom", "recent", "evaltype", "tags", "selectAcknowledges", "selectSuppressionData",
                    "selectTags");
            case "event.get" -> get(v72 ? null : "select_acknowledges", v72 ? null : "select_alerts",
                    version.atLeast(7, 0) ? "selectAcknowledges" : null, version.atLeast(7, 0) ? "selectAlerts" : null,
                    "eventids", "groupids", "hostids", "objectids", "source", "object", "acknowledged", "action",
                    "action_userids", "suppressed", "symptom", "severities", "evaltype", "tags", "eventid_from",
                    "eventid_till", "time_from", "time_till", "problem_time_from", "problem_time_till", "value",
                    "selectHosts", "selectRelatedObject", "selectTags", "selectSuppressionData");
            case "event.acknowledge" -> Set.of("eventids", "action", "message", "severity", "suppress_until", "cause_eventid");
            case "maintenance.get" -> get(v72 ? null : "selectGroups", "groupids", "hostids", "maintenanceids",
                    "selectHostGroups", "selectHosts", "selectTags", "selectTimeperiods", "limitSelects");
            case "maintenance.create" -> Set.of("name", "active_since", "active_till", "maintenance_type", "description",
                    "tags_evaltype", "hosts", "groups", "timeperiods", "tags");
            case "script.get" -> get(v72 ? null : "selectGroups", "groupids", "hostids", "scriptids", "usrgrpids",
                    "selectHostGroups", "selectActions", "limitSelects");
            case "script.execute" -> version.atLeast(7, 0) ? Set.of("scriptid", "hostid", "eventid", "manualinput")
                    : Set.of("scriptid", "hostid", "eventid");
            case "action.get" -> get("actionids", "groupids", "hostids", "triggerids", "mediatypeids", "usrgrpids",
                    "userids", "scriptids", "selectFilter", "selectOperations", "selectRecoveryOperations",
                    "selectUpdateOperations");
            case "token.get" -> get("tokenids", "userids", "token", "valid_at", "expired_at");
            case "configuration.import" -> Set.of("format", "source", "rules");
            default -> null;
        };
    }

    private static Set<String> get(String... extra) {
        return Stream.concat(GET.stream(), Stream.of(extra)).filter(s -> s != null).collect(Collectors.toSet());
    }

    /** The import rules this version takes ({@code groups} until 6.0, then host and template groups). */
    private Set<String> importRules() {
        Set<String> common = Set.of("templates", "hosts", "valueMaps", "templateDashboards", "templateLinkage", "items",
                "discoveryRules", "triggers", "graphs", "httptests", "images", "maps", "mediaTypes");
        List<String> groups = version.atLeast(6, 2) ? List.of("host_groups", "template_groups") : List.of("groups");
        return Stream.concat(common.stream(), groups.stream()).collect(Collectors.toSet());
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        JsonNode body;
        try {
            body = JSON.readTree(event.getRequest().getBodyAsString());
        } catch (Exception e) {
            return ok(refuse(-32700, "Parse error", "Invalid JSON. An error occurred on the server while parsing the JSON text.", 0));
        }
        String bearer = event.getRequest().getHeader("Authorization");
        if (!body.isArray()) return ok(answer(body, bearer));
        // A JSON-RPC batch, as Zabbix's CJsonRpc answers one: each call on its own, in order.
        List<String> each = new ArrayList<>();
        for (JsonNode call : body) each.add(answer(call, bearer));
        return ok("[" + String.join(",", each) + "]");
    }

    /** The answer to one call (of a batch or alone). */
    private String answer(JsonNode body, String bearer) {
        String method = body.path("method").asText();
        methods.add(method);
        long id = body.path("id").asLong();
        boolean anonymous = method.equals("apiinfo.version") || method.equals("user.login");
        if (body.has("auth") && version.atLeast(7, 2)) {
            return violation(method + ": auth field", -32600, "Invalid request.", "Invalid parameter \"/\": unexpected parameter \"auth\".", id);
        }
        if (anonymous && (body.has("auth") || bearer != null)) {
            return violation(method + ": sent with credentials", -32602, "Invalid params.",
                    "The \"" + method + "\" method must be called without the \"auth\" parameter.", id);
        }
        if (!anonymous) {
            String credential = version.usesBearerHeader()
                    ? (bearer != null && bearer.startsWith("Bearer ") ? bearer.substring(7) : null)
                    : body.path("auth").asText(null);
            if (!TOKEN.equals(credential) && !SESSION.equals(credential)) {
                return violation(method + ": no credential where " + version + " reads it", -32602, "Invalid params.",
                        "Not authorized.", id);
            }
        }
        JsonNode params = body.path("params");
        Set<String> accepted = accepted(method);
        if (accepted != null && params.isObject()) {
            for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
                String p = it.next();
                if (!accepted.contains(p)) {
                    return violation(method + ": unexpected parameter " + p, -32602, "Invalid params.",
                            "Invalid parameter \"/\": unexpected parameter \"" + p + "\".", id);
                }
            }
        }
        if (method.equals("configuration.import")) {
            for (Iterator<String> it = params.path("rules").fieldNames(); it.hasNext(); ) {
                String r = it.next();
                if (!importRules().contains(r)) {
                    return violation(method + ": unexpected rule " + r, -32602, "Invalid params.",
                            "Invalid parameter \"/rules\": unexpected parameter \"" + r + "\".", id);
                }
            }
        }
        if (refused.contains(method)) {
            return refuse(-32500, "Application error.", "No permissions to call \"" + method + "\".", id);
        }
        String result = switch (method) {
            case "apiinfo.version" -> "\"" + version + "\"";
            case "user.login" -> params.path("userData").asBoolean()
                    ? "{\"userid\":\"" + USER_ID + "\",\"sessionid\":\"" + SESSION + "\"}" : "\"" + SESSION + "\"";
            default -> answers.getOrDefault(method, "[]");
        };
        return "{\"jsonrpc\":\"2.0\",\"result\":" + result + ",\"id\":" + id + "}";
    }

    private String violation(String what, int code, String message, String data, long id) {
        violations.add(what);
        return refuse(code, message, data, id);
    }

    private static String refuse(int code, String message, String data, long id) {
        return ("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"data\":"
                + JSON.valueToTree(data) + "},\"id\":" + id + "}");
    }

    private static ResponseDefinition ok(String json) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(json).build();
    }
}
