package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.config.VcrConfig;

/**
 * A {@link ZabbixPort} whose client is built on a background thread, and which can start the
 * maintenance question for the action's {@code --trigger-host} before the runbook is even read:
 * in a fresh JVM, loading the API client (Jackson) and the first round trips then overlap with
 * reading the config and the runbook instead of following them.
 */
final class DeferredZabbixPort implements ZabbixPort {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vcr-zabbix-early");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<ZabbixPort> port;
    private final String earlyHost;
    private final Future<Boolean> earlyMaintenance;

    /** {@code secret} was read (and its file checked) by the caller; {@code host} and {@code eventId} may be null. */
    DeferredZabbixPort(VcrConfig.Zabbix config, String secret, String host, String eventId) {
        this.port = CompletableFuture.supplyAsync(() -> ZabbixApiPort.connect(config, secret), executor);
        this.earlyHost = host;
        this.earlyMaintenance = host == null ? null : executor.submit(() -> port.join().inMaintenance(host, eventId));
    }

    /** The maintenance answer already on its way for {@code host}, or null when none was started for it. */
    Future<Boolean> early(String host) {
        return host.equals(earlyHost) ? earlyMaintenance : null;
    }

    private ZabbixPort port() {
        return port.join();
    }

    @Override
    public boolean inMaintenance(String host, String eventId) throws IOException {
        return port().inMaintenance(host, eventId);
    }

    @Override
    public boolean problemResolved(String eventId) throws IOException {
        return port().problemResolved(eventId);
    }

    @Override
    public void acknowledge(String eventId, String message, boolean acknowledge) throws IOException {
        port().acknowledge(eventId, message, acknowledge);
    }

    @Override
    public String runScript(String script, String host) throws IOException {
        return port().runScript(script, host);
    }

    @Override
    public String globalMacro(String name) throws IOException {
        return port().globalMacro(name);
    }

    @Override
    public void close() {
        if (earlyMaintenance != null) earlyMaintenance.cancel(true);
        if (port.isDone() && !port.isCompletedExceptionally()) port.join().close();
        executor.shutdownNow();
    }
}
