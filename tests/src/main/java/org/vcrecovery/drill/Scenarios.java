package org.vcrecovery.drill;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The scenarios {@code tests/drill --scenario} knows, by name; {@code failover} is the default drill. */
final class Scenarios {
    static final String FAILOVER = "failover";

    private static final Map<String, Supplier<Scenario>> BY_NAME = new LinkedHashMap<>();

    static {
        // one line per scenario: BY_NAME.put("name", NameScenario::new);
        BY_NAME.put("host-down", () -> new HostDownScenario(false));
        BY_NAME.put("host-down-held", () -> new HostDownScenario(true));
        BY_NAME.put("rebalance", RebalanceScenario::new);
        BY_NAME.put("pool", PoolScenario::new);
    }

    private Scenarios() {
    }

    static String names() {
        return FAILOVER + (BY_NAME.isEmpty() ? "" : "|" + String.join("|", BY_NAME.keySet()));
    }

    /** The scenario called {@code name}, or null for the failover drill; bad names are a usage error. */
    static Scenario byName(String name) {
        if (FAILOVER.equals(name)) return null;
        Supplier<Scenario> s = BY_NAME.get(name);
        if (s == null) throw new DrillException(2, "--scenario must be one of " + names() + ", not '" + name + "'");
        return s.get();
    }
}
