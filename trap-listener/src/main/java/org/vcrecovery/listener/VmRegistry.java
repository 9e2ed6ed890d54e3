package org.vcrecovery.listener;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The VMs known per Zabbix host, from every source that reports for that host: libvirt
 * connections report their full domain list (replacing what that source said before); traps
 * only ever add the VM they are about. The discovery value of a host is the union.
 *
 * <p><b>Bound.</b> At most {@code maxVms} (source, VM) entries come from traps: past that a
 * trap about a VM the host does not list yet is {@link Outcome#FULL} and adds nothing. A
 * libvirt source's list is always taken (libvirt knows those domains), and counts.
 *
 * <p><b>Cost.</b> Recording a VM is O(number of sources of its host); a host's discovery JSON
 * is built (by Jackson, so any name is escaped correctly) only when asked for after a change,
 * and cached. Thread-safe.
 */
final class VmRegistry {
    private static final JsonFactory JSON = new JsonFactory();

    /** What {@link #observe} did. */
    enum Outcome {
        /** Nothing new for the host's discovery value. */
        UNCHANGED,
        /** The host's VM set (or a UUID in it) changed: its discovery value should be sent. */
        CHANGED,
        /** A VM new to the host, refused: the registry holds {@code maxVms} entries. */
        FULL
    }

    private static final class HostVms {
        /** Source → VM name → UUID ("" when unknown). */
        final Map<String, Map<String, String>> bySource = new LinkedHashMap<>();
        /** VM name → how many sources list it. */
        final Map<String, Integer> refs = new HashMap<>();
        /** The discovery JSON, null after a change. */
        String json;
    }

    private final int maxVms;
    private final Map<String, HostVms> hosts = new HashMap<>();
    private int entries;

    VmRegistry(int maxVms) {
        if (maxVms < 1) throw new IllegalArgumentException("maxVms < 1: " + maxVms);
        this.maxVms = maxVms;
    }

    /** Records that {@code source} (a trap sender) reported {@code vm} on {@code host}. */
    synchronized Outcome observe(String host, String source, String vm, String uuid) {
        HostVms h = hosts.computeIfAbsent(host, k -> new HostVms());
        Map<String, String> vms = h.bySource.get(source);
        String old = vms == null ? null : vms.get(vm);
        if (old != null && (uuid.isEmpty() || old.equals(uuid))) return Outcome.UNCHANGED; // the hot path
        if (old == null && entries >= maxVms) return h.refs.containsKey(vm) ? Outcome.UNCHANGED : Outcome.FULL;
        String before = h.refs.containsKey(vm) ? unionUuid(h, vm) : null;
        if (vms == null) {
            vms = new HashMap<>();
            h.bySource.put(source, vms);
        }
        vms.put(vm, uuid.isEmpty() && old != null ? old : uuid);
        if (old == null) {
            entries++;
            h.refs.merge(vm, 1, Integer::sum);
        }
        if (before != null && before.equals(unionUuid(h, vm))) return Outcome.UNCHANGED;
        h.json = null;
        return Outcome.CHANGED;
    }

    /** Replaces what {@code source} (a libvirt connection) reported; true when the host's discovery value changed. */
    synchronized boolean replace(String host, String source, Map<String, String> vms) {
        HostVms h = hosts.computeIfAbsent(host, k -> new HostVms());
        Map<String, String> now = new HashMap<>(vms);
        Map<String, String> old = h.bySource.put(source, now);
        if (old == null) old = Map.of();
        boolean changed = false;
        for (String vm : old.keySet()) {
            if (now.containsKey(vm)) continue;
            if (h.refs.merge(vm, -1, Integer::sum) == 0) {
                h.refs.remove(vm);
                changed = true;
            }
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            String was = old.get(e.getKey());
            if (was == null) changed |= h.refs.merge(e.getKey(), 1, Integer::sum) == 1;
            changed |= was != null && !was.equals(e.getValue()); // a UUID changed (conservative)
        }
        entries += now.size() - old.size();
        if (changed) h.json = null;
        return changed;
    }

    /** The discovery JSON of {@code host} ({@code []} for a host without VMs). */
    synchronized String json(String host) {
        HostVms h = hosts.get(host);
        if (h == null) return "[]";
        if (h.json == null) h.json = build(h);
        return h.json;
    }

    /** Every host's discovery JSON (for the periodic re-send). */
    synchronized Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String host : hosts.keySet()) out.put(host, json(host));
        return out;
    }

    /** (source, VM) entries held. */
    synchronized int size() {
        return entries;
    }

    private static String unionUuid(HostVms h, String vm) {
        String any = null;
        for (Map<String, String> vms : h.bySource.values()) {
            String u = vms.get(vm);
            if (u == null) continue;
            if (!u.isEmpty()) return u;
            any = u;
        }
        return any;
    }

    private static String build(HostVms h) {
        StringWriter w = new StringWriter(64 + h.refs.size() * 80);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (String vm : new TreeSet<>(h.refs.keySet())) {
                g.writeStartObject();
                g.writeStringField("{#VM.NAME}", vm);
                g.writeStringField("{#VM.UUID}", unionUuid(h, vm));
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }
}
