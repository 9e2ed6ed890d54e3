package org.vcrecovery.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.listener.snmp.DecodedTrap;
import org.vcrecovery.listener.spool.Spool;

/**
 * Turns what the sources report into trapper values and appends them to the spool: picks the
 * Zabbix host (host map, else the default host), keeps the VM inventory and emits a discovery
 * value before the first value of a VM the host did not have. Thread-safe; methods block
 * while the spool's in-memory queue is full.
 *
 * <p><b>Who creates VMs.</b> Only libvirt inventories and traps that passed the receiver's
 * checks (source allowlist, community or v3 user at its security level) get here, so only they
 * add VMs; the inventory is bounded ({@code discovery.max-vms}): a trap about a new VM past the
 * bound is logged and its value still spooled, but the VM is not added to discovery.
 *
 * <p><b>Discovery rate.</b> A host's discovery value lists all its VMs, so sending one per new
 * VM would cost O(n) each, O(n²) for a burst of new names. The first change of a host is sent
 * at once (before the new VM's value, as Zabbix needs); further changes within
 * {@code discoveryGap} are folded into one value that {@link #flushDiscovery} sends (the
 * listener calls it every gap). Values that arrive before their item exists are retried by the
 * shipper ({@code batch.refused-retry}).
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final Spool spool;
    private final Stats stats;
    private final HostResolver hosts;
    private final VmRegistry registry;
    private final long discoveryGapNanos;
    private final Map<String, Long> lastDiscovery = new HashMap<>(); // host -> System.nanoTime(); guarded by itself
    private final Set<String> pendingDiscovery = new LinkedHashSet<>(); // guarded by lastDiscovery
    private final RateLimitedLog invalidLog = new RateLimitedLog(log, 10_000);
    private final RateLimitedLog unknownLog = new RateLimitedLog(log, 10_000);
    private final RateLimitedLog fullLog = new RateLimitedLog(log, 60_000);

    public Pipeline(Spool spool, Stats stats, HostResolver hosts, int maxVms, Duration discoveryGap) {
        this.spool = spool;
        this.stats = stats;
        this.hosts = hosts;
        this.registry = new VmRegistry(maxVms);
        this.discoveryGapNanos = discoveryGap.toNanos();
    }

    /** A pipeline with a fixed host map, no API lookup, 10,000 VMs at most and no discovery gap. */
    public Pipeline(Spool spool, Stats stats, Map<String, String> hostMap, String defaultHost) {
        this(spool, stats, new HostResolver(hostMap, defaultHost, null), 10_000, Duration.ZERO);
    }

    /** The Zabbix host for a trap source address or libvirt URI. */
    public String hostFor(String source) {
        return hosts.hostFor(source);
    }

    /**
     * Accepts a decoded trap; the future completes once its values are durable in the spool
     * (the point at which an INFORM may be answered).
     */
    public CompletableFuture<Void> trap(DecodedTrap t) throws InterruptedException {
        String host = hostFor(t.source());
        Instant now = Instant.now();
        if (t instanceof DecodedTrap.StateChange sc) {
            stats.eventSeen();
            return stateChange(sc.change(), false);
        }
        if (t instanceof DecodedTrap.Unknown u) {
            stats.trapsUnknown.increment();
            unknownLog.info("trap {} from {} is not libvirt's, forwarded to " + ItemKeys.TRAP_UNKNOWN, u.trapOid(), u.source());
            return spool.append(TrapperValue.at(now, host, ItemKeys.TRAP_UNKNOWN, u.rendering()));
        }
        DecodedTrap.Invalid i = (DecodedTrap.Invalid) t;
        stats.trapsInvalid.increment();
        invalidLog.warn("unreadable libvirt trap from {}: {}", i.source(), i.reason());
        return spool.append(TrapperValue.at(now, host, ItemKeys.TRAP_UNKNOWN, "INVALID (" + i.reason() + ") " + i.rendering()));
    }

    /**
     * A VM state change: discovery first when the VM is new to its host, then the state, then
     * (with {@code withEvent}) the event text.
     */
    public CompletableFuture<Void> stateChange(VmStateChange c, boolean withEvent) throws InterruptedException {
        String host = hostFor(c.source());
        List<CompletableFuture<Void>> fs = new ArrayList<>(3);
        VmRegistry.Outcome o = registry.observe(host, c.source(), c.vmName(), c.uuid());
        if (o == VmRegistry.Outcome.CHANGED) {
            String discovery = discoveryNowOrLater(host);
            log.info("new VM {} on {}, {}", c.vmName(), host, discovery != null ? "sending discovery" : "discovery follows within the gap");
            if (discovery != null) fs.add(spool.append(TrapperValue.at(c.at(), host, ItemKeys.VM_DISCOVERY, discovery)));
        } else if (o == VmRegistry.Outcome.FULL) {
            fullLog.warn("VM inventory full (discovery.max-vms): VM {} on {} from {} not added to discovery", c.vmName(), host, c.source());
        }
        fs.add(spool.append(TrapperValue.at(c.at(), host, ItemKeys.vmState(c.vmName()), Integer.toString(c.state().code()))));
        if (withEvent && !c.detail().isEmpty()) {
            fs.add(spool.append(TrapperValue.at(c.at(), host, ItemKeys.vmEvent(c.vmName()), c.detail())));
        }
        return fs.size() == 1 ? fs.get(0) : CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new));
    }

    /** The full domain list of a libvirt source (name → UUID); sends discovery if the set changed. */
    public void inventory(String source, Map<String, String> vms, Instant at) throws InterruptedException {
        String host = hostFor(source);
        if (registry.replace(host, source, vms)) {
            String discovery = discoveryNowOrLater(host);
            log.info("VM set of {} changed ({} VMs from {}), {}", host, vms.size(), source,
                    discovery != null ? "sending discovery" : "discovery follows within the gap");
            if (discovery != null) spool.append(TrapperValue.at(at, host, ItemKeys.VM_DISCOVERY, discovery));
        }
    }

    /** One poll sample: state, and CPU % when known (NaN: not known yet). */
    public void sample(String source, String vm, VmState state, double cpuPercent, Instant at) throws InterruptedException {
        String host = hostFor(source);
        spool.append(TrapperValue.at(at, host, ItemKeys.vmState(vm), Integer.toString(state.code())));
        if (!Double.isNaN(cpuPercent)) {
            spool.append(TrapperValue.at(at, host, ItemKeys.vmCpu(vm), String.format(Locale.ROOT, "%.2f", cpuPercent)));
        }
    }

    /** The host's discovery JSON when it may be sent now, else null (it is then pending). */
    private String discoveryNowOrLater(String host) {
        synchronized (lastDiscovery) {
            long now = System.nanoTime();
            Long last = lastDiscovery.get(host);
            if (last != null && now - last < discoveryGapNanos) {
                pendingDiscovery.add(host);
                return null;
            }
            lastDiscovery.put(host, now);
            pendingDiscovery.remove(host);
            return registry.json(host);
        }
    }

    /** Sends the discovery value of every host that changed since its last one was sent. */
    public void flushDiscovery() throws InterruptedException {
        Map<String, String> due = new LinkedHashMap<>();
        synchronized (lastDiscovery) {
            long now = System.nanoTime();
            for (String host : pendingDiscovery) {
                due.put(host, registry.json(host));
                lastDiscovery.put(host, now);
            }
            pendingDiscovery.clear();
        }
        Instant at = Instant.now();
        for (Map.Entry<String, String> e : due.entrySet()) spool.append(TrapperValue.at(at, e.getKey(), ItemKeys.VM_DISCOVERY, e.getValue()));
    }

    /** Re-sends every host's discovery value (Zabbix may have lost one). */
    public void rediscover() throws InterruptedException {
        Instant now = Instant.now();
        for (Map.Entry<String, String> e : registry.all().entrySet()) {
            spool.append(TrapperValue.at(now, e.getKey(), ItemKeys.VM_DISCOVERY, e.getValue()));
        }
    }

    /** Appends a self-monitoring value. */
    public void self(String host, String key, String value) throws InterruptedException {
        spool.append(TrapperValue.at(Instant.now(), host, key, value));
    }
}
