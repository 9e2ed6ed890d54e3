package org.vcrecovery.listener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listener's self-monitoring counters (monotonic since start) and gauges. Thread-safe;
 * every stage increments its own counters, {@link SelfMonitor} reports them to Zabbix.
 */
public final class Stats {
    public final LongAdder trapsReceived = new LongAdder();
    public final LongAdder trapsInvalid = new LongAdder();
    public final LongAdder trapsUnknown = new LongAdder();
    public final LongAdder valuesSent = new LongAdder();
    public final LongAdder valuesFailed = new LongAdder();
    public final LongAdder valuesSpooled = new LongAdder();
    public final LongAdder valuesDropped = new LongAdder();
    public final LongAdder libvirtEvents = new LongAdder();
    /** Successful libvirt connects (the first per URI, then one per reconnect). */
    public final LongAdder libvirtConnects = new LongAdder();
    /** Epoch millis of the last VM event (trap or libvirt event); 0 before the first. */
    public final AtomicLong lastEventMillis = new AtomicLong();

    /** Records that a VM event arrived now. */
    public void eventSeen() {
        lastEventMillis.set(System.currentTimeMillis());
    }

    @Override
    public String toString() {
        return "traps received=" + trapsReceived.sum() + " invalid=" + trapsInvalid.sum()
                + " unknown=" + trapsUnknown.sum() + "; values sent=" + valuesSent.sum()
                + " failed=" + valuesFailed.sum() + " spooled=" + valuesSpooled.sum()
                + " dropped=" + valuesDropped.sum();
    }
}
