package org.vcrecovery.listener.spool;

import java.util.Objects;
import org.vcrecovery.listener.TrapperValue;

/** A value read back from the spool, with where it starts and where the next record starts. */
public record SpoolRecord(SpoolPosition position, SpoolPosition next, TrapperValue value) {
    public SpoolRecord {
        Objects.requireNonNull(position, "position == null");
        Objects.requireNonNull(next, "next == null");
        Objects.requireNonNull(value, "value == null");
    }
}
