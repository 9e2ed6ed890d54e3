package org.vcrecovery.it.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.listener.ListenerZabbix.Prototype;
import org.vcrecovery.listener.ConfigLoader;
import org.vcrecovery.listener.Listener;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.ship.ZabbixTrapper;

/**
 * The listener's libvirt connection goes through a Unix-socket relay to the sandbox libvirtd
 * that the test can cut: after a cut the listener reconnects by itself, and a domain destroyed
 * afterwards still reaches Zabbix as an event.
 */
class ListenerLibvirtReconnectIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "listener-lv-" + suffix;
    private ListenerZabbix zabbix;
    private String hostId;
    private Listener listener;
    private Relay relay;

    @AfterEach
    void cleanUp() throws Exception {
        if (listener != null) listener.close();
        if (relay != null) relay.close();
        if (zabbix != null) zabbix.close();
    }

    @Test
    void afterTheLibvirtConnectionIsCutTheListenerReconnectsAndEventsFlowAgain() throws Exception {
        Sandbox sandbox = Sandbox.get();
        zabbix = new ListenerZabbix(sandbox);
        hostId = zabbix.createHostWithLld(host, List.of(), Prototype.EVENT);

        String realUri = sandbox.value(Sandbox.LIBVIRT_URI);
        Path realSocket = Path.of(realUri.substring(realUri.indexOf("socket=") + "socket=".length()));
        Path tmp = Files.createTempDirectory("listener-lv");
        relay = new Relay(tmp.resolve("relay.sock"), realSocket);
        String uri = "test+unix:///default?socket=" + tmp.resolve("relay.sock");
        Files.writeString(tmp.resolve("c.yaml"), "self-monitoring:\n  interval: 0\nlibvirt:\n  reconnect-max: 2s\n");
        ListenerConfig cfg = ConfigLoader.load(tmp.resolve("c.yaml"), new ConfigLoader.Overrides("off",
                List.of(sandbox.value(Sandbox.ZABBIX_TRAPPER)), List.of(uri + "=" + host), List.of(uri),
                tmp.resolve("spool"), "1s", host));
        listener = new Listener(cfg, new ZabbixTrapper(cfg.zabbixServers(), Duration.ofSeconds(5), cfg.zabbixResendWindow()));
        listener.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> listener.stats().libvirtConnects.sum() == 1);

        relay.cutAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> listener.stats().libvirtConnects.sum() >= 2);

        String vm = "lvr-" + suffix;
        zabbix.startAndDestroyDomain(realUri, hostId, vm);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> zabbix.history(hostId, "vcr.vm.event[" + vm + "]", 4, 10).contains("STOPPED DESTROYED"));
        assertThat(relay.accepted()).isGreaterThanOrEqualTo(2);
    }

    /** Relays Unix-socket connections to libvirtd; {@link #cutAll} closes every relayed connection. */
    static final class Relay implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Path upstream;
        private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
        private volatile int accepted;

        Relay(Path socket, Path upstream) throws IOException {
            this.upstream = upstream;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(this::acceptLoop, "libvirt-relay");
            t.setDaemon(true);
            t.start();
        }

        int accepted() {
            return accepted;
        }

        private void acceptLoop() {
            while (server.isOpen()) {
                try {
                    SocketChannel in = server.accept();
                    SocketChannel out = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
                    open.add(in);
                    open.add(out);
                    accepted++;
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(SocketChannel from, SocketChannel to) {
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(64 * 1024);
                try {
                    while (from.read(b) >= 0) {
                        b.flip();
                        while (b.hasRemaining()) to.write(b);
                        b.clear();
                    }
                } catch (IOException ignored) {
                    // cut
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }, "libvirt-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        void cutAll() throws IOException {
            for (SocketChannel c : open) c.close();
            open.clear();
        }

        @Override
        public void close() throws IOException {
            server.close();
            cutAll();
        }
    }
}
