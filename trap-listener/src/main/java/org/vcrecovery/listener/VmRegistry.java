package org.vcrecovery.listener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The VMs known per Zabbix host, from every source that reports for that host: libvirt
 * connections report their full domain list (replacing what that source said before); traps
 * only ever add the VM they are about. The discovery value of a host is the union. Thread-safe.
 */
final class VmRegistry {
    /** Zabbix host → source → VM name → UUID ("" when unknown). */
    private final Map<String, Map<String, Map<String, String>>> hosts = new HashMap<>();

    /** Adds one VM seen by {@code source}; returns the host's new discovery JSON if its set changed, else null. */
    synchronized String observe(String host, String source, String vm, String uuid) {
        Map<String, String> vms = hosts.computeIfAbsent(host, h -> new HashMap<>()).computeIfAbsent(source, s -> new HashMap<>());
        String old = vms.get(vm);
        if (old != null && (uuid.isEmpty() || old.equals(uuid))) return null; // the hot path: a VM we know
        String before = union(host);
        vms.put(vm, uuid.isEmpty() && old != null ? old : uuid);
        String after = union(host);
        return after.equals(before) ? null : after;
    }

    /** Replaces what {@code source} reported; returns the new discovery JSON if the set changed, else null. */
    synchronized String replace(String host, String source, Map<String, String> vms) {
        Map<String, Map<String, String>> bySource = hosts.computeIfAbsent(host, h -> new HashMap<>());
        String before = union(host);
        bySource.put(source, new HashMap<>(vms));
        String after = union(host);
        return after.equals(before) ? null : after;
    }

    /** Every host's discovery JSON (for the periodic re-send). */
    synchronized Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : hosts.keySet()) out.put(h, union(h));
        return out;
    }

    private String union(String host) {
        TreeMap<String, String> all = new TreeMap<>();
        for (Map<String, String> vms : hosts.getOrDefault(host, Map.of()).values()) {
            for (Map.Entry<String, String> e : vms.entrySet()) {
                all.merge(e.getKey(), e.getValue(), (a, b) -> a.isEmpty() ? b : a);
            }
        }
        List<String> rows = new ArrayList<>(all.size());
        for (Map.Entry<String, String> e : all.entrySet()) {
            rows.add("{\"{#VM.NAME}\":" + json(e.getKey()) + ",\"{#VM.UUID}\":" + json(e.getValue()) + "}");
        }
        return "[" + String.join(",", rows) + "]";
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
