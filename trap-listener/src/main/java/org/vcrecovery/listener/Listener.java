package org.vcrecovery.listener;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.listener.libvirt.LibvirtSource;
import org.vcrecovery.listener.ship.Shipper;
import org.vcrecovery.listener.ship.Trapper;
import org.vcrecovery.listener.snmp.LocalEngine;
import org.vcrecovery.listener.snmp.SnmpReceiver;
import org.vcrecovery.listener.spool.Spool;

/**
 * The running daemon: spool, shipper, SNMP receiver, libvirt sources and timers wired together.
 * {@link #start} opens everything (throwing if the spool directory or the SNMP address cannot
 * be used); {@link #close} stops the sources, writes what is queued, gives the shipper
 * {@code shutdown.grace} to send it, and leaves the rest in the spool for the next start.
 */
public final class Listener implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    /** Least time between two discovery values of one host (see {@link Pipeline}). */
    static final java.time.Duration DISCOVERY_GAP = java.time.Duration.ofSeconds(1);

    private final ListenerConfig config;
    private final Trapper trapper;
    private final Stats stats = new Stats();
    private Spool spool;
    private Shipper shipper;
    private Thread shipperThread;
    private Pipeline pipeline;
    private SnmpReceiver snmp;
    private final List<LibvirtSource> libvirt = new ArrayList<>();
    private ScheduledExecutorService timers;

    public Listener(ListenerConfig config, Trapper trapper) {
        this.config = config;
        this.trapper = trapper;
    }

    public void start() throws IOException {
        spool = Spool.open(config.spoolDir(), config.spoolMaxBytes(), config.spoolFsync(), config.queueCapacity(), stats);
        pipeline = new Pipeline(spool, stats, new HostResolver(config.hostMap(), config.defaultHost(), apiLookup()), config.maxVms(), DISCOVERY_GAP);
        shipper = new Shipper(spool, trapper, stats, config.batchMaxValues(), config.batchLinger(), config.refusedRetry());
        shipperThread = new Thread(shipper, "shipper");
        shipperThread.start();
        if (config.snmpListen() != null) {
            snmp = new SnmpReceiver(config, LocalEngine.loadAndBoot(config.spoolDir()), pipeline, stats);
            snmp.start();
        }
        for (String uri : config.libvirtUris()) {
            LibvirtSource s = new LibvirtSource(uri, pipeline, stats, config.pollInterval(), config.reconnectMax());
            libvirt.add(s);
            s.start();
        }
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "timers");
            t.setDaemon(true);
            return t;
        });
        long gap = DISCOVERY_GAP.toMillis();
        timers.scheduleWithFixedDelay(guard(pipeline::flushDiscovery), gap, gap, TimeUnit.MILLISECONDS);
        long disc = config.discoveryInterval().toMillis();
        timers.scheduleWithFixedDelay(guard(pipeline::rediscover), disc, disc, TimeUnit.MILLISECONDS);
        long self = config.selfMonitoringInterval().toMillis();
        if (self > 0) {
            SelfMonitor monitor = new SelfMonitor(pipeline, stats, spool, config.selfHost());
            timers.scheduleWithFixedDelay(guard(monitor::report), self, self, TimeUnit.MILLISECONDS);
        }
        log.info("started: {}", config);
    }

    /** Host lookup by interface IP through the Zabbix API, when configured. */
    private HostResolver.Lookup apiLookup() throws IOException {
        if (config.zabbixApiUrl().isEmpty()) return null;
        org.vcrecovery.zabbix.api.ZabbixApi api = org.vcrecovery.zabbix.api.ZabbixApi.builder(java.net.URI.create(config.zabbixApiUrl()))
                .tokenFile(config.zabbixApiTokenFile()).requestTimeout(java.time.Duration.ofSeconds(3)).build();
        return ip -> api.hostsByIp(ip).stream().map(org.vcrecovery.zabbix.api.Host::host).toList();
    }

    private interface Task {
        void run() throws InterruptedException;
    }

    private static Runnable guard(Task t) {
        return () -> {
            try {
                t.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("periodic task failed: {}", e.toString());
            }
        };
    }

    /** The bound SNMP port, or -1 when SNMP is off. */
    public int snmpPort() {
        return snmp == null ? -1 : snmp.port();
    }

    public Stats stats() {
        return stats;
    }

    @Override
    public void close() {
        log.info("stopping: final flush");
        if (timers != null) timers.shutdownNow();
        try {
            if (snmp != null) snmp.close();
        } catch (IOException e) {
            log.warn("snmp close: {}", e.toString());
        }
        for (LibvirtSource s : libvirt) s.close();
        try {
            long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
            while (spool != null && spool.queued() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            if (shipper != null) {
                shipper.stop(config.shutdownGrace());
                shipperThread.join(config.shutdownGrace().toMillis() + 6000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (spool != null) spool.close();
        } catch (IOException e) {
            log.warn("spool close: {}", e.toString());
        }
        trapper.close();
        log.info("stopped ({}; {} bytes left in the spool)", stats, spool == null ? 0 : spool.bytes());
    }
}
