package org.vcrecovery.vcr.recover;

import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * Start-up overlap for {@code vcr recover}: while the main thread reads the config and the
 * runbook, daemon threads load and initialise what the first network steps need: Jackson's
 * streaming layer and the HTTP client for the Zabbix questions, dnsjava's tables, its
 * SecureRandom, the TSIG HMAC and a first (unsent) datagram exchange for the signed DNS read
 * ({@code DnsUpdater.preload}), and, when the command line names a VM
 * ({@code --vm} with a value, as the Zabbix action for a VM-down event has), JNA and libvirt-java with the
 * system's libvirt library (~150 ms otherwise paid by the fence). Nothing is sent and nothing
 * is read from disk but classes and libraries; a failure here is ignored (the real use reports
 * it).
 *
 * <p>{@link ConfirmStage#start} then opens the run's connection to the primary's libvirt while
 * the guard steps run.
 */
public final class Preload {
    private static volatile boolean libvirtStarted;

    private Preload() {}

    /** Starts the preloading threads and returns at once; libvirt too when {@code vm} (the line names a failed VM). */
    public static void start(boolean vm) {
        // First: the libvirt load is the longest, and ZabbixApi.preload() initialises logging on this thread.
        if (vm) libvirt();
        ZabbixApi.preload();
        DnsUpdater.preload();
    }

    /** Loads JNA, libvirt-java and the libvirt library on a daemon thread, once per JVM. */
    static void libvirt() {
        synchronized (Preload.class) {
            if (libvirtStarted) return;
            libvirtStarted = true;
        }
        Thread t = new Thread(() -> {
            ClassLoader loader = Preload.class.getClassLoader();
            try {
                // the primary is a VM: what the backends that run VMs (and fence them) load first
                StandbyBackends backends = StandbyBackends.installed();
                for (String name : backends.names()) {
                    StandbyBackendFactory f = backends.factory(name);
                    if (!f.guests().contains(StandbyBackendFactory.Guest.VM)) continue;
                    for (String c : f.preloadClasses()) Class.forName(c, true, loader);
                }
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // No libvirt here: the fence will say so.
            }
        }, "libvirt-preload");
        t.setDaemon(true);
        t.start();
    }
}
