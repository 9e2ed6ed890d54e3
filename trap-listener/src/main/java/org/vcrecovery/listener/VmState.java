package org.vcrecovery.listener;

/**
 * libvirt's virDomainState (also LIBVIRT-MIB's libvirtGuestState), code 0..7; the code is
 * what {@code vcr.vm.state[…]} carries and the template's value map names.
 */
public enum VmState {
    NOSTATE, RUNNING, BLOCKED, PAUSED, SHUTDOWN, SHUTOFF, CRASHED, PMSUSPENDED;

    /** The numeric code sent to Zabbix. */
    public int code() {
        return ordinal();
    }

    /** The state for {@code code}, or null when it is outside 0..7. */
    public static VmState ofCode(long code) {
        return code >= 0 && code < values().length ? values()[(int) code] : null;
    }
}
