package org.vcrecovery.vcr.rebalance;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The recovery VMs' load as the chooser sees it: the moving average of CPU ({@code vcr.cpu.avg},
 * in %) per Zabbix host, when Zabbix was asked ({@code measured}); a host missing from {@code cpu}
 * then has no recent value and is no target. Not measured (no Zabbix API configured, a run by
 * hand): every host counts as having room, and the one serving the fewest services is least loaded.
 */
record Loads(boolean measured, Map<String, Double> cpu) {
    static final Loads UNMEASURED = new Loads(false, Map.of());

    Loads {
        cpu = Map.copyOf(Objects.requireNonNull(cpu, "cpu == null"));
    }

    static Loads measured(Map<String, Double> cpu) {
        return new Loads(true, cpu);
    }

    OptionalDouble of(String host) {
        Double v = cpu.get(host);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** {@code cpu 12.5 %}, {@code no recent CPU value}, or {@code load not measured}. */
    String describe(String host) {
        if (!measured) return "load not measured";
        OptionalDouble v = of(host);
        return v.isEmpty() ? "no recent CPU value" : "cpu " + String.format(java.util.Locale.ROOT, "%.1f", v.getAsDouble()) + " %";
    }
}
