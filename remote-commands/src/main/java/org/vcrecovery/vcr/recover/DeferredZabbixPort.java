package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vcrecovery.vcr.config.VcrConfig;

/**
 * A {@link ZabbixPort} whose client is built on a background thread, and which can start the
 * guard questions for the action's {@code --trigger-host} before the runbook is even read:
 * in a fresh JVM, loading the API client (Jackson) and the first round trips then overlap with
 * reading the config and the runbook instead of following them.
 */
final class DeferredZabbixPort implements ZabbixPort {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vcr-zabbix-early");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<ZabbixApiPort> port;
    private final String earlyHost;
    private final Questions early;

    /**
     * {@code secret} was read (and its file checked) by the caller; {@code host} and {@code eventId}
     * may be null. With a {@code host}, the run's guard questions for it ({@link #ask}, with the
     * kill switch's macro {@code macro} when there is an event) are asked as soon as the client is built.
     */
    DeferredZabbixPort(VcrConfig.Zabbix config, String secret, String host, String eventId, String macro) {
        this.port = CompletableFuture.supplyAsync(() -> ZabbixApiPort.connect(config, secret), executor);
        this.earlyHost = host;
        this.early = host == null ? null : ask(executor, host, eventId, eventId == null ? null : macro);
    }

    /** The questions already on their way for {@code host}, or null when none were started for it. */
    Questions early(String host) {
        return host.equals(earlyHost) ? early : null;
    }

    private ZabbixPort port() {
        return port.join();
    }

    /** One request ({@link ZabbixApiPort#ask}) once the client is built, on {@code executor}. */
    @Override
    public Questions ask(ExecutorService executor, String host, String eventId, String macro) {
        return ZabbixApiPort.split(port.thenApplyAsync(p -> p.guard(host, eventId, macro), executor), host, eventId, macro);
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
    public VmAnswers vms(java.util.Collection<String> hosts, java.util.Collection<String> vms) throws IOException {
        return port().vms(hosts, vms);
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
        if (early != null) {
            for (Future<?> f : new Future<?>[] {early.resolved(), early.inMaintenance(), early.globalMacro()}) {
                if (f != null) f.cancel(true);
            }
        }
        if (port.isDone() && !port.isCompletedExceptionally()) port.join().close();
        executor.shutdownNow();
    }
}
