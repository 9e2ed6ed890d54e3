package org.vcrecovery.drill;

/**
 * The moments of one failover, in the order they must happen, each with where the drill reads it.
 * Each leg of the timeline is named by the mark that ends it and lasts from the previous mark.
 */
public enum Mark {
    INJECTED("failure injected", "the drill's clock right before destroying the primary domain"),
    LISTENER_SAW("listener saw it", "Zabbix history clock+ns of vcr.vm.state: the listener stamps each value with the moment it saw the event or trap"),
    PROBLEM("problem in Zabbix", "the drill polls problem.get every 50 ms (the event's own clock+ns is the value's stamp); never later than the command"),
    COMMAND_RAN("action ran vcr", "the vcr wrapper's timestamp: Zabbix's escalator had the agent run the action's remote command"),
    VCR_STARTED("vcr recover started", "audit.jsonl 'started': the recovery run begins, in vcr serve's warm JVM once bin/vcr"
            + " handed it the command line (served), or in a fresh JVM once it is up (--no-serve, or no server answered)"),
    STANDBY_UP("standby up", "audit.jsonl: end of the start/resume step (warm: when vcr turned to it)"),
    PORT_VERIFIED("port verified", "audit.jsonl: end of the check step that passed"),
    DNS_SWITCHED("DNS switched", "audit.jsonl: end of the dns step (update, then verification at the server: a client may see the new address a few ms earlier)"),
    ACKNOWLEDGED("event acknowledged", "audit.jsonl: end of the ack step; confirmed with event.get");

    private final String label;
    private final String source;

    Mark(String label, String source) {
        this.label = label;
        this.source = source;
    }

    public String label() {
        return label;
    }

    public String source() {
        return source;
    }

    /** The JSON name: {@code listener_saw}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
