package org.vcrecovery.listener;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated configuration (see {@code conf/trap-listener.yaml} for every key, its range and
 * default). Built only by {@link ConfigLoader}; {@link #toString()} never shows communities.
 *
 * @param snmpListen      UDP address for traps/informs, null when SNMP is off
 * @param communities     accepted SNMPv1/v2c communities (secret)
 * @param v3Users         SNMPv3 USM users
 * @param zabbixServers   trapper endpoints, tried in order (failover)
 * @param hostMap         trap source IP or libvirt URI → Zabbix host name
 * @param defaultHost     Zabbix host for sources not in the map
 * @param selfHost        Zabbix host that receives the listener's own counters
 */
public record ListenerConfig(
        InetSocketAddress snmpListen,
        List<String> communities,
        int snmpThreads,
        List<V3User> v3Users,
        List<InetSocketAddress> zabbixServers,
        Duration zabbixTimeout,
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
        Duration selfMonitoringInterval,
        Duration shutdownGrace) {

    public ListenerConfig {
        communities = List.copyOf(communities);
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
    }

    @Override
    public String toString() {
        return "snmp=" + (snmpListen == null ? "off" : snmpListen.getHostString() + ":" + snmpListen.getPort())
                + " communities=" + communities.size() + " (redacted) v3-users=" + v3Users.stream().map(V3User::name).toList()
                + " zabbix=" + zabbixServers.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList()
                + " default-host=" + defaultHost + " host-map=" + hostMap + " libvirt=" + libvirtUris
                + " poll=" + pollInterval.toMillis() + "ms spool=" + spoolDir + " max=" + spoolMaxBytes + "B fsync=" + spoolFsync;
    }
}
