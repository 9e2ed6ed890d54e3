package org.vcrecovery.vcr.runbook;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;

/**
 * The option keys each installed standby backend accepts, so that {@code vcr runbook validate}
 * catches a misspelt option with its line. Backend factories are cheap by contract (no native
 * or heavy classes until a backend is created).
 */
final class BackendOptions {
    private static final Map<String, Set<String>> CACHE = new ConcurrentHashMap<>();
    private static volatile StandbyBackends installed;

    private BackendOptions() {}

    /** The keys {@code backend} accepts, or null when no such backend is installed (not checked then). */
    static Set<String> accepted(String backend) {
        Set<String> keys = CACHE.get(backend);
        if (keys != null) return keys;
        StandbyBackends b = installed;
        if (b == null) installed = b = StandbyBackends.installed();
        try {
            StandbyBackendFactory f = b.factory(backend);
            keys = Set.copyOf(f.configKeys());
        } catch (StandbyException e) {
            return null;
        }
        CACHE.put(backend, keys);
        return keys;
    }
}
