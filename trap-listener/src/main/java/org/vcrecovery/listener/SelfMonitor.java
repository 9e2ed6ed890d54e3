package org.vcrecovery.listener;

import org.vcrecovery.listener.spool.Spool;

/**
 * Reports the listener's own counters to Zabbix (host {@code hosts.self}): cumulative counts
 * since start (use "change per second" preprocessing for rates), the spool size in bytes and
 * the seconds since the last VM event (since start when none came yet), and a heartbeat (1) last,
 * which the KVM template's fast host-down trigger counts.
 */
final class SelfMonitor {
    private final Pipeline pipeline;
    private final Stats stats;
    private final Spool spool;
    private final String host;
    private final long startMillis = System.currentTimeMillis();

    SelfMonitor(Pipeline pipeline, Stats stats, Spool spool, String host) {
        this.pipeline = pipeline;
        this.stats = stats;
        this.spool = spool;
        this.host = host;
    }

    void report() throws InterruptedException {
        put(ItemKeys.TRAPS_RECEIVED, stats.trapsReceived.sum());
        put(ItemKeys.TRAPS_INVALID, stats.trapsInvalid.sum());
        put(ItemKeys.TRAPS_UNKNOWN, stats.trapsUnknown.sum());
        put(ItemKeys.VALUES_SENT, stats.valuesSent.sum());
        put(ItemKeys.VALUES_FAILED, stats.valuesFailed.sum());
        put(ItemKeys.VALUES_SPOOLED, stats.valuesSpooled.sum());
        put(ItemKeys.VALUES_DROPPED, stats.valuesDropped.sum());
        put(ItemKeys.SPOOL_BYTES, spool.bytes());
        long last = stats.lastEventMillis.get();
        put(ItemKeys.LAST_EVENT_AGE, (System.currentTimeMillis() - (last == 0 ? startMillis : last)) / 1000);
        put(ItemKeys.HEARTBEAT, 1);
    }

    private void put(String key, long value) throws InterruptedException {
        pipeline.self(host, key, Long.toString(value));
    }
}
