package org.vcrecovery.vcr.standby;

import java.util.Objects;
import java.util.Optional;

/**
 * One standby a backend knows, as {@link StandbyBackend#list()} reports it.
 *
 * @param name    the target name, as passed to the backend's other methods
 * @param state   its state at the time of listing
 * @param address its service address when the backend knows it (an IP literal), else empty
 */
public record StandbyInfo(String name, StandbyState state, Optional<String> address) {
    public StandbyInfo {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(address, "address == null");
    }
}
