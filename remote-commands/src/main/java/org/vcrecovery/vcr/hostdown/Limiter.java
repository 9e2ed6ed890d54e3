package org.vcrecovery.vcr.hostdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * The bounded concurrency of a host-down run: a recovery holds one permit of its standby host,
 * one of its DNS zone and one of its standby backend while it runs (the total is the pool's
 * size). A runbook's keys are those of its first standby (the one tried first: later ones are
 * tried inside the same permit). Permits are always taken in the same order (standby host, zone,
 * backend), so two recoveries never wait on each other in a cycle. Records the highest number
 * held at once per key, for the report and the tests. Thread-safe.
 */
final class Limiter {
    private final VcrConfig.HostDown limits;
    private final Map<String, Semaphore> semaphores = new ConcurrentHashMap<>();
    private final Map<String, int[]> inUse = new ConcurrentHashMap<>();
    private final Map<String, Integer> peaks = new ConcurrentHashMap<>();

    Limiter(VcrConfig.HostDown limits) {
        this.limits = limits;
    }

    /** The keys {@code rb}'s recovery holds, in the order they are taken. */
    static List<String> keys(Runbook rb) {
        Runbook.Standby s = rb.standbys().get(0);
        String host = s.zabbixHost() != null ? s.zabbixHost() : s.backend() + new TreeMap<>(s.options());
        Runbook.Dns d = rb.dns();
        return List.of("standby-host " + host, "zone " + d.server() + ":" + d.port() + "/" + d.zone(), "backend " + s.backend());
    }

    /** Blocks until {@code rb}'s permits are free; the returned permit gives them back. */
    AutoCloseable acquire(Runbook rb) throws InterruptedException {
        List<String> keys = keys(rb);
        List<Semaphore> taken = new ArrayList<>();
        try {
            for (String k : keys) {
                Semaphore sem = semaphores.computeIfAbsent(k, x -> new Semaphore(limit(x), true));
                sem.acquire();
                taken.add(sem);
                count(k, 1);
            }
        } catch (InterruptedException e) {
            for (int i = 0; i < taken.size(); i++) {
                count(keys.get(i), -1);
                taken.get(i).release();
            }
            throw e;
        }
        return () -> {
            for (int i = taken.size() - 1; i >= 0; i--) {
                count(keys.get(i), -1);
                taken.get(i).release();
            }
        };
    }

    private int limit(String key) {
        if (key.startsWith("standby-host ")) return limits.perStandbyHost();
        if (key.startsWith("zone ")) return limits.perZone();
        return limits.perBackend();
    }

    private void count(String key, int delta) {
        int[] n = inUse.computeIfAbsent(key, k -> new int[1]);
        synchronized (n) {
            n[0] += delta;
            if (delta > 0) peaks.merge(key, n[0], Math::max);
        }
    }

    /** The most permits held at once, per key (sorted). */
    Map<String, Integer> peaks() {
        return new TreeMap<>(peaks);
    }
}
