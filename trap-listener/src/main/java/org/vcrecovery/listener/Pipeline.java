package org.vcrecovery.listener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final Spool spool;
    private final Stats stats;
    private final HostResolver hosts;
    private final VmRegistry registry = new VmRegistry();
    private final RateLimitedLog invalidLog = new RateLimitedLog(log, 10_000);
    private final RateLimitedLog unknownLog = new RateLimitedLog(log, 10_000);

    public Pipeline(Spool spool, Stats stats, HostResolver hosts) {
        this.spool = spool;
        this.stats = stats;
        this.hosts = hosts;
    }

    /** A pipeline with a fixed host map and no API lookup. */
    public Pipeline(Spool spool, Stats stats, Map<String, String> hostMap, String defaultHost) {
        this(spool, stats, new HostResolver(hostMap, defaultHost, null));
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
        String discovery = registry.observe(host, c.source(), c.vmName(), c.uuid());
        if (discovery != null) {
            log.info("new VM {} on {}, sending discovery", c.vmName(), host);
            fs.add(spool.append(TrapperValue.at(c.at(), host, ItemKeys.VM_DISCOVERY, discovery)));
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
        String discovery = registry.replace(host, source, vms);
        if (discovery != null) {
            log.info("VM set of {} changed ({} VMs from {}), sending discovery", host, vms.size(), source);
            spool.append(TrapperValue.at(at, host, ItemKeys.VM_DISCOVERY, discovery));
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
