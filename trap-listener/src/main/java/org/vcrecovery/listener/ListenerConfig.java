package org.vcrecovery.listener;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vcrecovery.listener.snmp.SourceAllowlist;

/**
 * The validated configuration (see {@code conf/trap-listener.yaml} for every key, its range and
 * default). Built only by {@link ConfigLoader}; {@link #toString()} never shows communities.
 *
 * @param snmpListen      UDP address for traps/informs, null when SNMP is off
 * @param communities     accepted SNMPv1/v2c communities (secret); empty: v1/v2c refused
 * @param snmpSources     trap source addresses accepted (empty: any source)
 * @param v3Users         SNMPv3 USM users; each message must reach the user's security level
 * @param zabbixServers   trapper endpoints, tried in order (failover)
 * @param zabbixResendWindow values acknowledged this long before the last acknowledgement are sent
 *                        again to a server that takes over from another (zero: never)
 * @param hostMap         trap source IP or libvirt URI → Zabbix host name
 * @param defaultHost     Zabbix host for sources not in the map
 * @param selfHost        Zabbix host that receives the listener's own counters
 * @param maxVms          most VMs the listener keeps in its discovery inventory (all hosts)
 */
public record ListenerConfig(
        InetSocketAddress snmpListen,
        List<String> communities,
        SourceAllowlist snmpSources,
        int snmpThreads,
        List<V3User> v3Users,
        List<InetSocketAddress> zabbixServers,
        Duration zabbixTimeout,
        Duration zabbixResendWindow,
        String zabbixApiUrl,
        java.nio.file.Path zabbixApiTokenFile,
        String defaultHost,
        Map<String, String> hostMap,
        String selfHost,
        List<String> libvirtUris,
        Duration pollInterval,
        Duration reconnectMax,
        Path spoolDir,
        long spoolMaxBytes,
        boolean spoolFsync,
        int queueCapacity,
        int batchMaxValues,
        Duration batchLinger,
        Duration refusedRetry,
        Duration discoveryInterval,
        int maxVms,
        Duration selfMonitoringInterval,
        Duration shutdownGrace) {

    public ListenerConfig {
        communities = List.copyOf(communities);
        Objects.requireNonNull(snmpSources, "snmpSources == null");
        if (maxVms < 1) throw new IllegalArgumentException("maxVms < 1: " + maxVms);
        v3Users = List.copyOf(v3Users);
        zabbixServers = List.copyOf(zabbixServers);
        hostMap = Map.copyOf(hostMap);
        libvirtUris = List.copyOf(libvirtUris);
        Objects.requireNonNull(spoolDir, "spoolDir == null");
        Objects.requireNonNull(defaultHost, "defaultHost == null");
        Objects.requireNonNull(selfHost, "selfHost == null");
    }

    /**
     * An SNMPv3 user. Passphrases live in files (readable only by the listener's user) and are
     * read when the receiver starts; protocols are upper-case names ({@code SHA}, {@code AES}),
     * {@code NONE} for no auth/priv.
     */
    public record V3User(String name, String authProtocol, Path authPasswordFile, String privProtocol, Path privPasswordFile) {
        public V3User {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name is blank");
            Objects.requireNonNull(authProtocol, "authProtocol == null");
            Objects.requireNonNull(privProtocol, "privProtocol == null");
        }

        /**
         * The least security level a message from this user must have: what its protocols
         * configure (SNMP4J's USM accepts any lower level; the receiver enforces this one).
         * Values are SNMP4J's {@code SecurityLevel} numbers: 1 noAuthNoPriv, 2 authNoPriv, 3 authPriv.
         */
        public int requiredLevel() {
            if (authProtocol.equals("NONE")) return 1;
            return privProtocol.equals("NONE") ? 2 : 3;
        }
    }

    private static final String[] LEVELS = {"", "noAuthNoPriv", "authNoPriv", "authPriv"};

    @Override
    public String toString() {
        return "snmp=" + (snmpListen == null ? "off" : snmpListen.getHostString() + ":" + snmpListen.getPort())
                + " communities=" + communities.size() + " (redacted) sources=" + snmpSources + " v3-users="
                + v3Users.stream().map(u -> u.name() + "(" + LEVELS[u.requiredLevel()] + ")").toList()
                + " zabbix=" + zabbixServers.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList()
                + " default-host=" + defaultHost + " host-map=" + hostMap + " libvirt=" + libvirtUris
                + " poll=" + pollInterval.toMillis() + "ms max-vms=" + maxVms + " spool=" + spoolDir + " max=" + spoolMaxBytes + "B fsync=" + spoolFsync;
    }
}
