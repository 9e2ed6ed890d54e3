package org.vcrecovery.listener.libvirt;

import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.vcrecovery.listener.VmState;

/** How a libvirt lifecycle event maps to a {@link VmState} and to the event text. */
final class Lifecycle {
    private Lifecycle() {
    }

    /** The state a domain is in after {@code type}; null when the event says nothing about it (defined/undefined). */
    static VmState stateAfter(DomainEventType type) {
        return switch (type) {
            case STARTED, RESUMED -> VmState.RUNNING;
            case SUSPENDED -> VmState.PAUSED;
            case STOPPED -> VmState.SHUTOFF;
            case SHUTDOWN -> VmState.SHUTDOWN;
            case PMSUSPENDED -> VmState.PMSUSPENDED;
            case CRASHED -> VmState.CRASHED;
            default -> null;
        };
    }

    /** "TYPE DETAIL", e.g. "STOPPED DESTROYED", "SUSPENDED IOERROR". */
    static String text(DomainEvent e) {
        Object detail;
        try {
            detail = e.getDetail();
        } catch (RuntimeException ex) {
            detail = null;
        }
        return detail == null ? e.getType().name() : e.getType().name() + " " + detail;
    }
}
