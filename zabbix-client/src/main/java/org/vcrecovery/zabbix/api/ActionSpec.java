package org.vcrecovery.zabbix.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code action.create}/{@code action.update} need for a trigger action that runs global
 * scripts: a name, conditions (all must hold), and remote-command operations.
 *
 * @param escPeriod default operation step duration, e.g. "1m" (Zabbix's minimum is 60 s)
 */
public record ActionSpec(String name, boolean enabled, String escPeriod, List<Condition> conditions,
        List<RemoteCommand> operations) {

    public ActionSpec {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name is empty");
        if (escPeriod == null || escPeriod.isEmpty()) escPeriod = "1m";
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        operations = operations == null ? List.of() : List.copyOf(operations);
        if (operations.isEmpty()) throw new IllegalArgumentException("operations is empty");
    }

    /**
     * One filter condition. Types: 0 host group, 1 host, 2 trigger, 3 event name (6.0: trigger name),
     * 4 trigger severity, 13 template, 16 problem is suppressed, 25 tag name, 26 tag value.
     * Operators: 0 equals, 1 not equals, 2 contains, 3 does not contain, 5 &gt;=, 10 yes, 11 no.
     */
    public record Condition(int type, int operator, String value, String value2) {
        public static final int HOST_GROUP = 0;
        public static final int HOST = 1;
        public static final int TRIGGER = 2;
        public static final int EVENT_NAME = 3;
        public static final int TEMPLATE = 13;
        public static final int SUPPRESSED = 16;
        public static final int TAG = 25;
        public static final int TAG_VALUE = 26;

        public Condition {
            if (value == null) value = "";
            if (value2 == null) value2 = "";
        }

        /** "Problem is not suppressed" (the host is not in maintenance). */
        public static Condition notSuppressed() {
            return new Condition(SUPPRESSED, 11, "", "");
        }

        /** Events with tag {@code tag} equal to {@code value}. */
        public static Condition tagEquals(String tag, String value) {
            return new Condition(TAG_VALUE, 0, value, tag);
        }
    }

    /** Run global script {@code scriptId} on the listed hosts; host id "0" means the host of the event. */
    public record RemoteCommand(String scriptId, List<String> hostIds) {
        public RemoteCommand {
            if (scriptId == null) throw new NullPointerException("scriptId == null");
            hostIds = hostIds == null || hostIds.isEmpty() ? List.of("0") : List.copyOf(hostIds);
        }

        public static RemoteCommand onEventHost(String scriptId) {
            return new RemoteCommand(scriptId, List.of("0"));
        }
    }

    Map<String, Object> toParams() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("eventsource", 0);
        m.put("status", enabled ? 0 : 1);
        m.put("esc_period", escPeriod);
        List<Map<String, Object>> conds = new ArrayList<>();
        for (Condition c : conditions) {
            // 6.0+ validates strictly: "problem is suppressed" takes no value, only tag-value conditions take value2
            Map<String, Object> cond = new LinkedHashMap<>();
            cond.put("conditiontype", c.type());
            cond.put("operator", c.operator());
            if (c.type() != Condition.SUPPRESSED) cond.put("value", c.value());
            if (c.type() == Condition.TAG_VALUE) cond.put("value2", c.value2());
            conds.add(cond);
        }
        m.put("filter", Map.of("evaltype", 0, "conditions", conds));
        List<Map<String, Object>> ops = new ArrayList<>();
        for (RemoteCommand op : operations) {
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (String h : op.hostIds()) hosts.add(Map.of("hostid", h));
            ops.add(Map.of("operationtype", 1, "opcommand", Map.of("scriptid", op.scriptId()), "opcommand_hst", hosts));
        }
        m.put("operations", ops);
        return m;
    }
}
