package org.vcrecovery.listener.libvirt;

import java.util.HashMap;
import java.util.Map;

/**
 * CPU usage of a VM from two samples of its cumulative cpuTime: {@code Δcpu / (Δwall ×
 * vCPUs) × 100}, clamped to 0..100. The first sample of a VM, a VM that restarted (cpuTime went
 * down) or an inactive VM gives NaN (not known). Not thread-safe: one per poller.
 */
final class CpuMeter {
    private record Sample(long cpuNanos, long wallNanos) {
    }

    private final Map<String, Sample> last = new HashMap<>();

    /** Percent for {@code vm} given its cpuTime (ns) now, at wall time {@code wallNanos}. */
    double percent(String vm, long cpuNanos, int vcpus, long wallNanos) {
        Sample prev = last.put(vm, new Sample(cpuNanos, wallNanos));
        if (prev == null || vcpus <= 0 || cpuNanos < prev.cpuNanos || wallNanos <= prev.wallNanos) return Double.NaN;
        double p = 100.0 * (cpuNanos - prev.cpuNanos) / ((double) (wallNanos - prev.wallNanos) * vcpus);
        return Math.max(0, Math.min(100, p));
    }

    /** Forgets {@code vm}'s last sample. */
    void forget(String vm) {
        last.remove(vm);
    }

    /** Forgets VMs not in {@code present}. */
    void retain(java.util.Set<String> present) {
        last.keySet().retainAll(present);
    }
}
