package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A global script: what an action's remote-command operation (or a user) runs.
 * {@code scriptId} is null for a script not yet created.
 *
 * @param type      0 script (the only type this project uses)
 * @param scope     1 action operation, 2 manual host action, 4 manual event action
 * @param executeOn 0 Zabbix agent, 1 Zabbix server, 2 server (proxy)
 */
public record Script(String scriptId, String name, String command, int type, int scope, int executeOn, String description) {
    public static final int TYPE_SCRIPT = 0;
    public static final int SCOPE_ACTION = 1;
    public static final int SCOPE_MANUAL_HOST = 2;
    public static final int SCOPE_MANUAL_EVENT = 4;
    public static final int ON_AGENT = 0;
    public static final int ON_SERVER = 1;
    public static final int ON_SERVER_OR_PROXY = 2;

    public Script {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name is empty");
        if (command == null || command.isEmpty()) throw new IllegalArgumentException("command is empty");
        if (executeOn < 0 || executeOn > 2) throw new IllegalArgumentException("executeOn must be 0..2: " + executeOn);
        if (description == null) description = "";
    }

    /** A shell script for actions' remote-command operations, run on the agent or server. */
    public static Script forActions(String name, String command, int executeOn, String description) {
        return new Script(null, name, command, TYPE_SCRIPT, SCOPE_ACTION, executeOn, description);
    }

    /** The same script with its id (for {@code script.update}). */
    public Script withId(String id) {
        return new Script(id, name, command, type, scope, executeOn, description);
    }

    static Script from(JsonNode n) {
        return new Script(Json.text(n, "scriptid"), Json.text(n, "name"), Json.text(n, "command"),
                Json.integer(n, "type"), Json.integer(n, "scope"), Json.integer(n, "execute_on"), Json.text(n, "description", ""));
    }

    Map<String, Object> toParams() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (scriptId != null) m.put("scriptid", scriptId);
        m.put("name", name);
        m.put("command", command);
        m.put("type", type);
        m.put("scope", scope);
        m.put("execute_on", executeOn);
        m.put("description", description);
        return m;
    }
}
