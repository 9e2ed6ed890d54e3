package org.vcrecovery.listener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.listener.ship.ZabbixTrapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vcr-trap-listener}: the daemon's entry point. Exit codes: 0 after a clean stop
 * (SIGTERM/SIGINT), 2 for a configuration error (one line naming the key on stderr), 1 when
 * it cannot start (spool directory, SNMP address in use).
 */
@Command(name = "vcr-trap-listener", mixinStandardHelpOptions = true, versionProvider = TrapListener.Version.class,
        description = {"Receives libvirt-snmp traps/informs (v1, v2c, v3) and libvirt lifecycle events, polls VM state"
                + " and CPU, and sends them to Zabbix trapper items through a crash-safe disk spool."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly (SIGTERM)", "1:could not start", "2:configuration error (names the key)"})
public final class TrapListener implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(TrapListener.class);

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (every key documented in conf/trap-listener.yaml).")
    Path config;
    @Option(names = "--snmp-listen", paramLabel = "ADDR:PORT", description = "UDP address for traps and informs; 'off' disables SNMP (snmp.listen).")
    String snmpListen;
    @Option(names = "--zabbix", paramLabel = "HOST:PORT", description = "Zabbix trapper, repeatable: tried in order (zabbix.servers).")
    List<String> zabbix = new ArrayList<>();
    @Option(names = "--community", paramLabel = "NAME", hidden = true,
            description = "Refused: communities are secrets and belong in the config file (snmp.communities).")
    List<String> communities = new ArrayList<>();
    @Option(names = "--host-map", paramLabel = "SOURCE=ZABBIXHOST", description = "Trap source IP or libvirt URI to Zabbix host, repeatable (hosts.map).")
    List<String> hostMap = new ArrayList<>();
    @Option(names = "--default-host", paramLabel = "ZABBIXHOST", description = "Zabbix host for unmapped sources (hosts.default).")
    String defaultHost;
    @Option(names = "--libvirt", paramLabel = "URI", description = "libvirt URI to watch, repeatable (libvirt.uris).")
    List<String> libvirt = new ArrayList<>();
    @Option(names = "--spool", paramLabel = "DIR", description = "Spool and state directory (spool.dir).")
    Path spool;
    @Option(names = "--poll-interval", paramLabel = "DURATION", description = "libvirt poll interval, e.g. 5s (libvirt.poll-interval).")
    String pollInterval;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrapListener()).execute(args));
    }

    @Override
    public Integer call() {
        ListenerConfig cfg;
        try {
            if (!communities.isEmpty()) {
                throw new ConfigException("--community", "not accepted on the command line (every local user can read it):"
                        + " put it in snmp.communities of the config file (mode 0600)");
            }
            cfg = ConfigLoader.load(config, new ConfigLoader.Overrides(snmpListen, zabbix, hostMap, libvirt, spool, pollInterval, defaultHost));
        } catch (ConfigException e) {
            System.err.println("vcr-trap-listener: config: " + e.getMessage());
            return 2;
        }
        Listener listener = new Listener(cfg, ZabbixTrapper.of(cfg));
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (running.get()) listener.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            running.set(true);
            listener.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.toString());
            System.err.println("vcr-trap-listener: cannot start: " + e.getMessage());
            running.set(false);
            listener.close();
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TrapListener.class.getPackage().getImplementationVersion();
            return new String[] {"vcr-trap-listener " + (v == null ? "dev" : v)};
        }
    }
}
