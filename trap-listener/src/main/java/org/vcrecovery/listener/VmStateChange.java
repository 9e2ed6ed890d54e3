package org.vcrecovery.listener;

import java.time.Instant;
import java.util.Objects;

/**
 * A VM changed state, as learned from a trap, a libvirt event or a poll.
 *
 * @param source  where it came from: a trap's source IP address or a libvirt URI; the key of
 *                the host map that picks the Zabbix host
 * @param vmName  the libvirt domain name (the {@code {#VM.NAME}} of the discovery)
 * @param uuid    the domain UUID in canonical text form, or "" when the source did not say
 * @param state   the new state
 * @param detail  event text for {@code vcr.vm.event[…]}, e.g. "STOPPED DESTROYED"; "" for none
 * @param at      when the listener learned it
 */
public record VmStateChange(String source, String vmName, String uuid, VmState state, String detail, Instant at) {
    public VmStateChange {
        Objects.requireNonNull(source, "source == null");
        if (vmName == null || vmName.isBlank()) throw new IllegalArgumentException("vmName is blank");
        Objects.requireNonNull(uuid, "uuid == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(detail, "detail == null");
        Objects.requireNonNull(at, "at == null");
    }
}
