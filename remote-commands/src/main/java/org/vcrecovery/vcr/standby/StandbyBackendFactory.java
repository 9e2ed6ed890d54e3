package org.vcrecovery.vcr.standby;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link StandbyBackend}s of one kind; found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/org.vcrecovery.vcr.standby.StandbyBackendFactory}) and
 * looked up by {@link #name()} through {@link StandbyBackends}.
 *
 * <p>This is the whole extension point: a new backend is its own package and one line in that
 * services file. What the rest of vcr needs to know about it is asked here, never spelled out
 * elsewhere: which guests it runs ({@link #guests()}: runbooks check a standby's kind against
 * it), its option keys ({@link #configKeys()}), which of them are secret, its optional
 * operations ({@link #capabilities()}) and the heavy classes worth loading ahead
 * ({@link #preloadClasses()}).
 *
 * <p>Implementations must be cheap to instantiate: no I/O, and no reference to heavy or native
 * classes (libvirt, JNA, Jackson) until {@link #create} runs, since every factory on the class
 * path is instantiated on lookup.
 */
public interface StandbyBackendFactory {

    /** What a backend runs: runbook standby kinds are containers or VMs. */
    enum Guest { CONTAINER, VM }

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

    /** The guests this backend's targets are (a standby kind of another guest is refused). */
    Set<Guest> guests();

    /** The optional operations every backend this factory creates supports. */
    default Set<StandbyBackend.Capability> capabilities() {
        return Set.of();
    }

    /**
     * Classes (heavy or native: JNA, a client library) the first use of a backend loads, which
     * a short-lived process may load ahead on a background thread. Names only: nothing loads here.
     */
    default List<String> preloadClasses() {
        return List.of();
    }
}
