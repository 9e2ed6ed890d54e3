package org.vcrecovery.vcr.zabbix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trigger actions {@code vcr zabbix install} owns: one per recovery tag value. Each selects
 * problems whose trigger carries {@code vcrecovery=<tag value>} (the templates tag VM-down and
 * host-down triggers so) and that are not suppressed (hosts in maintenance are left alone), and
 * runs one action script ({@link ScriptSpecs}) as a remote command: on the standby host when one
 * is given (its agent runs {@code vcr}), else on the host of the problem, which for scripts that
 * execute on the server or proxy means the server or proxy.
 */
final class ActionSpecs {
    static final String VM_DOWN = "vcrecovery: recover on VM down";
    static final String HOST_DOWN = "vcrecovery: recover on host down";
    static final String REBALANCE = "vcrecovery: rebalance on CPU high";
    static final String POOL_GROW = "vcrecovery: grow pool";
    static final String POOL_SHRINK = "vcrecovery: shrink pool";
    /** How often a pool action runs vcr again while its problem stays open (Zabbix's shortest escalation period). */
    static final String POOL_REPEAT = "1m";

    /** Zabbix's constants (the same in 6.0 through 7.x). */
    static final String EVENT_TAG_VALUE = "26";
    static final String SUPPRESSED = "16";
    static final String OP_EQUAL = "0";
    static final String OP_NO = "11";
    static final String REMOTE_COMMAND = "1";

    /**
     * One desired action: its name, the tag value it selects, the script it runs, whether the
     * command runs again every {@link #POOL_REPEAT} while the problem is open (the pool actions: a
     * load that stays high grows the pool again once vcr's min-interval has passed; the rebalance
     * action: one more service moves while the average stays high), and whether it runs on the
     * problem's own host ({@code onProblemHost}: the rebalance action, whose problem is on the
     * overloaded recovery VM, runs on that VM's agent) rather than on the standby host.
     */
    record Spec(String name, String tagValue, String scriptName, boolean repeat, boolean onProblemHost) {
        Spec {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(tagValue, "tagValue == null");
            Objects.requireNonNull(scriptName, "scriptName == null");
        }

        Spec(String name, String tagValue, String scriptName, boolean repeat) {
            this(name, tagValue, scriptName, repeat, false);
        }

        Spec(String name, String tagValue, String scriptName) {
            this(name, tagValue, scriptName, false, false);
        }
    }

    private ActionSpecs() {
    }

    static List<Spec> all() {
        return List.of(new Spec(VM_DOWN, "vm-down", ScriptSpecs.ACTION_VM),
                new Spec(HOST_DOWN, "host-down", ScriptSpecs.ACTION_HOST),
                new Spec(REBALANCE, "rebalance", ScriptSpecs.ACTION_REBALANCE, true, true),
                new Spec(POOL_GROW, "pool-grow", ScriptSpecs.ACTION_POOL_GROW, true),
                new Spec(POOL_SHRINK, "pool-shrink", ScriptSpecs.ACTION_POOL_SHRINK, true));
    }

    /**
     * The API fields of {@code spec} (without name or id), running script {@code scriptId} on
     * host {@code targetHostId} ("0": the problem's own host).
     */
    static Map<String, Object> fields(Spec spec, String scriptId, String targetHostId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("eventsource", "0");
        f.put("status", "0");
        f.put("esc_period", spec.repeat() ? POOL_REPEAT : "1h");
        f.put("filter", Map.of("evaltype", "1", "conditions", List.of(
                Map.of("conditiontype", EVENT_TAG_VALUE, "operator", OP_EQUAL, "value", spec.tagValue(),
                        "value2", "vcrecovery"),
                Map.of("conditiontype", SUPPRESSED, "operator", OP_NO))));
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationtype", REMOTE_COMMAND);
        op.put("opcommand", Map.of("scriptid", scriptId));
        op.put("opcommand_hst", List.of(Map.of("hostid", targetHostId)));
        if (spec.repeat()) {
            op.put("esc_step_from", "1");
            op.put("esc_step_to", "0"); // every escalation step, for as long as the problem lasts
        }
        f.put("operations", List.of(op));
        return f;
    }
}
