package org.vcrecovery.vcr.runbook;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;

/**
 * What runbooks ask of the installed standby backends: their names, the guests each runs and
 * the option keys each accepts, so that {@code vcr runbook validate} catches a backend that
 * does not exist, a kind it cannot run, and a misspelt option, each with its line. Nothing here
 * names a backend. Backend factories are cheap by contract (no native or heavy classes until a
 * backend is created).
 */
final class BackendOptions {
    private static final Map<String, Set<String>> CACHE = new ConcurrentHashMap<>();
    private static volatile StandbyBackends installed;

    private BackendOptions() {}

    static StandbyBackends installed() {
        StandbyBackends b = installed;
        if (b == null) installed = b = StandbyBackends.installed();
        return b;
    }

    /** The factory called {@code backend}, or null when none is installed. */
    static StandbyBackendFactory factory(String backend) {
        try {
            return installed().factory(backend);
        } catch (StandbyException e) {
            return null;
        }
    }

    /** The names of the installed backends running {@code guest}, sorted. */
    static java.util.List<String> running(StandbyBackendFactory.Guest guest) {
        return installed().names().stream().sorted()
                .filter(n -> factory(n) != null && factory(n).guests().contains(guest)).toList();
    }

    /** The keys {@code backend} accepts, or null when no such backend is installed (not checked then). */
    static Set<String> accepted(String backend) {
        Set<String> keys = CACHE.get(backend);
        if (keys != null) return keys;
        StandbyBackendFactory f = factory(backend);
        if (f == null) return null;
        keys = Set.copyOf(f.configKeys());
        CACHE.put(backend, keys);
        return keys;
    }
}
