package org.vcrecovery.zabbix.api;

import java.util.Set;

/** The bits of {@code event.acknowledge}'s {@code action} (and of an acknowledgement's action). */
public enum AckAction {
    CLOSE(1), ACKNOWLEDGE(2), MESSAGE(4), CHANGE_SEVERITY(8), UNACKNOWLEDGE(16),
    /** 6.4 and later. */
    SUPPRESS(32),
    /** 6.4 and later. */
    UNSUPPRESS(64);

    private final int bit;

    AckAction(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    /** The bitmask of {@code actions}. */
    public static int mask(Set<AckAction> actions) {
        int m = 0;
        for (AckAction a : actions) m |= a.bit;
        return m;
    }

    /** True when {@code mask} has this action's bit. */
    public boolean in(int mask) {
        return (mask & bit) != 0;
    }
}
