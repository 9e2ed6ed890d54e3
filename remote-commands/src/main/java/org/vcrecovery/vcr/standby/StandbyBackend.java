package org.vcrecovery.vcr.standby;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Starts, stops and inspects standbys of one kind (LXC containers, LXD instances, libvirt
 * domains), created by a {@link StandbyBackendFactory}.
 *
 * <p>Contract shared by every backend:
 * <ul>
 *   <li>Every method validates {@code target} first (a bad name is {@link StandbyException.Code#INVALID},
 *       and nothing runs); names never reach a shell.</li>
 *   <li>Every failure is a {@link StandbyException} carrying a code; {@link #status} of a
 *       target the backend does not know is {@link StandbyState#ABSENT}, not an exception, while
 *       {@link #start}/{@link #stop}/{@link #suspend}/{@link #reboot} of one throw
 *       {@link StandbyException.Code#NOT_FOUND}.</li>
 *   <li>{@link #start} and {@link #stop} are idempotent: starting a running target and
 *       stopping a stopped one succeed without doing anything.</li>
 *   <li>Timed methods return when the backend reports the wanted state, or throw
 *       {@link StandbyException.Code#TIMEOUT} after {@code timeout}; they never wait for the
 *       service inside to answer (that is {@code ServiceChecker}'s job).</li>
 *   <li>Optional capabilities ({@link Capability}) throw {@link UnsupportedOperationException}
 *       with a message naming the backend when absent; check {@link #capabilities()} first.</li>
 * </ul>
 * Instances are safe for use by one thread at a time. {@link #close()} releases connections
 * (libvirt, HTTP clients) and never throws.
 */
public interface StandbyBackend extends AutoCloseable {

    /** Optional operations a backend may support. */
    enum Capability { SUSPEND, REBOOT }

    /** The factory name this backend was created by ({@code "lxc"}, {@code "libvirt"}, ...). */
    String name();

    /** The optional operations this backend supports. */
    default Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }

    /** The target's current state; {@link StandbyState#ABSENT} when the backend does not know it. */
    StandbyState status(String target);

    /**
     * Starts a stopped target or resumes a paused one; returns once the backend reports it
     * running. A running target is left alone.
     */
    void start(String target, Duration timeout);

    /** Stops the target hard (kill / destroy, no graceful shutdown). A stopped target is left alone. */
    void stop(String target, Duration timeout);

    /** Suspends (freezes) a running target in memory. Optional: see {@link Capability#SUSPEND}. */
    default void suspend(String target, Duration timeout) {
        throw new UnsupportedOperationException(name() + " backend cannot suspend a standby");
    }

    /** Reboots a running target. Optional: see {@link Capability#REBOOT}. */
    default void reboot(String target, Duration timeout) {
        throw new UnsupportedOperationException(name() + " backend cannot reboot a standby");
    }

    /**
     * The address the target's service listens on (an IP literal) when the backend knows it:
     * each backend documents where it comes from (its config map first, then what the backend
     * itself reports). Empty when unknown; the runbook then has to name the address.
     */
    Optional<String> address(String target);

    /** Every target this backend knows, in the backend's order. */
    List<StandbyInfo> list();

    @Override
    void close();
}
