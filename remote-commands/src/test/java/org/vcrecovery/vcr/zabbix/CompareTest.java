package org.vcrecovery.vcr.zabbix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The desired-versus-existing comparison that makes a second install change nothing. */
class CompareTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScriptSpecs.Spec RECOVER_NOW = ScriptSpecs.all("/opt/vcrecovery/bin/vcr", false).get(0);

    /** A script as Zabbix 6.0 returns it for what we created: strings, plus fields we never set. */
    static ObjectNode existingScript() {
        ObjectNode s = JSON.valueToTree(RECOVER_NOW.create());
        s.put("scriptid", "7").put("timeout", "30s").put("port", "").put("authtype", "0").putArray("parameters");
        return s;
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("as created", (Consumer<ObjectNode>) s -> { }, List.of()),
                Arguments.of("numbers as JSON numbers", (Consumer<ObjectNode>) s -> s.put("scope", 2).put("execute_on", 0), List.of()),
                Arguments.of("7.x adds manualinput fields", (Consumer<ObjectNode>) s -> s.put("manualinput", "0").put("manualinput_prompt", ""), List.of()),
                Arguments.of("operator changed the command", (Consumer<ObjectNode>) s -> s.put("command", "/usr/bin/true"), List.of("command")),
                Arguments.of("runs on the server instead", (Consumer<ObjectNode>) s -> s.put("execute_on", "2"), List.of("execute_on")),
                Arguments.of("moved out of the menu and confirmation dropped",
                        (Consumer<ObjectNode>) s -> s.put("menu_path", "").remove("confirmation"), List.of("menu_path", "confirmation")),
                Arguments.of("restricted to one host group", (Consumer<ObjectNode>) s -> s.put("groupid", "4"), List.of("groupid")));
    }

    @ParameterizedTest(name = "script {0}")
    @MethodSource("scripts")
    void scriptDiffNamesExactlyTheFieldsThatDiffer(String name, Consumer<ObjectNode> change, List<String> expected) {
        ObjectNode s = existingScript();
        change.accept(s);
        assertThat(Compare.scriptDiff(RECOVER_NOW, s)).containsExactlyElementsOf(expected);
    }

    /** An action exactly as Zabbix 6.0.14 returned it for what the installer created (captured from the sandbox). */
    static ObjectNode existingAction() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"actionid":"7","name":"vcrecovery: recover on VM down","eventsource":"0","status":"0","esc_period":"1h",
                 "pause_suppressed":"1","notify_if_canceled":"1","pause_symptoms":"1",
                 "filter":{"evaltype":"1","formula":"","conditions":[
                   {"conditiontype":"26","operator":"0","value":"vm-down","value2":"vcrecovery","formulaid":"A"},
                   {"conditiontype":"16","operator":"11","value":"","value2":"","formulaid":"B"}],"eval_formula":"A and B"},
                 "operations":[{"operationid":"11","actionid":"7","operationtype":"1","esc_period":"0","esc_step_from":"1",
                   "esc_step_to":"1","evaltype":"0","opconditions":[],"opcommand":{"scriptid":"7"},
                   "opcommand_hst":[{"opcommand_hstid":"1","hostid":"0"}],"opcommand_grp":[]}]}""");
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of("as created", (Consumer<ObjectNode>) a -> { }, List.of()),
                Arguments.of("conditions in another order", (Consumer<ObjectNode>) a -> {
                    ArrayNode c = (ArrayNode) a.path("filter").path("conditions");
                    JsonNode first = c.remove(0);
                    c.add(first);
                }, List.of()),
                Arguments.of("disabled by an operator", (Consumer<ObjectNode>) a -> a.put("status", "1"), List.of("status")),
                Arguments.of("maintenance condition removed", (Consumer<ObjectNode>) a ->
                        ((ArrayNode) a.path("filter").path("conditions")).remove(1), List.of("conditions")),
                Arguments.of("selects another tag value", (Consumer<ObjectNode>) a ->
                        ((ObjectNode) a.path("filter").path("conditions").path(0)).put("value", "host-down"), List.of("conditions")),
                Arguments.of("runs another script", (Consumer<ObjectNode>) a ->
                        ((ObjectNode) a.path("operations").path(0).path("opcommand")).put("scriptid", "8"), List.of("operations")),
                Arguments.of("runs on another host", (Consumer<ObjectNode>) a ->
                        ((ObjectNode) a.path("operations").path(0).path("opcommand_hst").path(0)).put("hostid", "10084"), List.of("operations")),
                Arguments.of("a second operation added", (Consumer<ObjectNode>) a ->
                        ((ArrayNode) a.path("operations")).add(a.path("operations").path(0).deepCopy()), List.of("operations")),
                Arguments.of("escalation period changed", (Consumer<ObjectNode>) a -> a.put("esc_period", "5m"), List.of("esc_period")));
    }

    @ParameterizedTest(name = "action {0}")
    @MethodSource("actions")
    void actionDiffIgnoresIdsDefaultsAndOrder(String name, Consumer<ObjectNode> change, List<String> expected) throws Exception {
        ObjectNode a = existingAction();
        change.accept(a);
        Map<String, Object> desired = ActionSpecs.fields(ActionSpecs.all().get(0), "7", "0");
        assertThat(Compare.actionDiff(desired, a)).containsExactlyElementsOf(expected);
    }
}
