package org.vcrecovery.listener;

/**
 * The Zabbix item keys the listener sends to. They are the contract with the Zabbix template
 * (zabbix-templates/): change them only together with it.
 */
public final class ItemKeys {
    /** LLD rule: JSON array of {"{#VM.NAME}":…,"{#VM.UUID}":…}. */
    public static final String VM_DISCOVERY = "vcr.vm.discovery";
    /** Fallback for traps the listener does not understand: a readable rendering. */
    public static final String TRAP_UNKNOWN = "vcr.trap.unknown";

    public static final String TRAPS_RECEIVED = "vcr.listener.traps.received";
    public static final String TRAPS_INVALID = "vcr.listener.traps.invalid";
    public static final String TRAPS_UNKNOWN = "vcr.listener.traps.unknown";
    public static final String VALUES_SENT = "vcr.listener.values.sent";
    public static final String VALUES_FAILED = "vcr.listener.values.failed";
    public static final String VALUES_SPOOLED = "vcr.listener.values.spooled";
    public static final String VALUES_DROPPED = "vcr.listener.values.dropped";
    public static final String SPOOL_BYTES = "vcr.listener.spool.bytes";
    public static final String LAST_EVENT_AGE = "vcr.listener.last.event.age";
    /**
     * 1 per self-monitoring report: with the server's port check, the fast host-down trigger's
     * second signal (set self-monitoring.interval to 1s on a KVM host whose listener runs there).
     */
    public static final String HEARTBEAT = "vcr.listener.heartbeat";

    private ItemKeys() {
    }

    /** {@code vcr.vm.state[NAME]}: numeric libvirt state 0..7. */
    public static String vmState(String vm) {
        return "vcr.vm.state[" + quote(vm) + "]";
    }

    /** {@code vcr.vm.cpu[NAME]}: CPU usage in % of the VM's vCPUs. */
    public static String vmCpu(String vm) {
        return "vcr.vm.cpu[" + quote(vm) + "]";
    }

    /** {@code vcr.vm.event[NAME]}: text such as "STOPPED DESTROYED". */
    public static String vmEvent(String vm) {
        return "vcr.vm.event[" + quote(vm) + "]";
    }

    /**
     * A key parameter as Zabbix expands {@code {#VM.NAME}} in a prototype key: unquoted when
     * it has no special characters, otherwise double-quoted with inner quotes escaped (the
     * key the LLD rule creates is then identical to the one we send).
     */
    static String quote(String p) {
        boolean plain = !p.isEmpty() && p.charAt(0) != '"' && p.charAt(0) != ' ';
        for (int i = 0; plain && i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == ',' || c == ']') plain = false;
        }
        return plain ? p : '"' + p.replace("\"", "\\\"") + '"';
    }
}
