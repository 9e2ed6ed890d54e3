package org.vcrecovery.listener.snmp;

import java.util.Objects;
import org.vcrecovery.listener.VmStateChange;

/**
 * What the decoder made of one notification: a VM state change, a trap it does not know
 * (forwarded to the fallback item), or a libvirt trap it cannot read (counted as invalid and
 * forwarded too, so nothing vanishes silently).
 */
public sealed interface DecodedTrap {
    /** The trap's source address (text form, no port). */
    String source();

    /** A libvirtGuestNotif decoded. */
    record StateChange(VmStateChange change) implements DecodedTrap {
        public StateChange {
            Objects.requireNonNull(change, "change == null");
        }

        @Override
        public String source() {
            return change.source();
        }
    }

    /** A notification that is not libvirt's: {@code rendering} is human-readable. */
    record Unknown(String source, String trapOid, String rendering) implements DecodedTrap {
        public Unknown {
            Objects.requireNonNull(source, "source == null");
            Objects.requireNonNull(trapOid, "trapOid == null");
            Objects.requireNonNull(rendering, "rendering == null");
        }
    }

    /** A libvirt notification (or a non-notification PDU) that could not be decoded. */
    record Invalid(String source, String reason, String rendering) implements DecodedTrap {
        public Invalid {
            Objects.requireNonNull(source, "source == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(rendering, "rendering == null");
        }
    }
}
