package org.vcrecovery.vcr.recover;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * The backends one run opened (the primary's libvirt, the standbys'), each created once per name
 * and options and closed together when the run and any late step of it are over. Thread-safe.
 */
final class RunBackends {
    private final StandbyBackends installed;
    private final Map<String, StandbyBackend> open = new LinkedHashMap<>();
    private boolean closed;

    RunBackends(StandbyBackends installed) {
        this.installed = installed;
    }

    /** The backend {@code name} with {@code options}; IllegalStateException once closed (a late background task). */
    synchronized StandbyBackend get(String name, Map<String, String> options) {
        if (closed) throw new IllegalStateException("the run is over: no new backend");
        return open.computeIfAbsent(name + " " + new TreeMap<>(options), k -> installed.create(name, options));
    }

    synchronized void close() {
        closed = true;
        for (StandbyBackend b : open.values()) b.close();
        open.clear();
    }
}
