package org.vcrecovery.vcr.standby;

import java.util.Map;
import java.util.Set;

/**
 * Creates {@link StandbyBackend}s of one kind; found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/org.vcrecovery.vcr.standby.StandbyBackendFactory}) and
 * looked up by {@link #name()} through {@link StandbyBackends}.
 *
 * <p>Implementations must be cheap to instantiate: no I/O, and no reference to heavy or native
 * classes (libvirt, JNA, Jackson) until {@link #create} runs, since every factory on the class
 * path is instantiated on lookup.
 */
public interface StandbyBackendFactory {

    /** The backend's name as runbooks and {@code --backend} spell it: lower case, e.g. {@code "lxc"}. */
    String name();

    /**
     * Creates a backend from its configuration (keys are backend-specific; unknown keys are
     * rejected so typos do not pass silently).
     *
     * @throws StandbyException {@link StandbyException.Code#INVALID} naming the key when the
     *         configuration is wrong; {@link StandbyException.Code#UNREACHABLE} when the backend
     *         needs a connection at creation and cannot get one
     */
    StandbyBackend create(Map<String, String> config);

    /** The configuration keys whose values are secret: never log or print them. */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /** All configuration keys {@link #create} accepts. */
    Set<String> configKeys();
}
