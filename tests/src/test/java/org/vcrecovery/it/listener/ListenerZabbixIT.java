package org.vcrecovery.it.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.listener.ListenerZabbix.Prototype;
import org.vcrecovery.listener.ConfigLoader;
import org.vcrecovery.listener.Listener;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.ship.ZabbixTrapper;

/**
 * The listener in-process against the sandbox's real Zabbix, libvirtd (test driver) and
 * net-snmp's snmptrap: a Zabbix host with the trapper LLD rule and prototypes is created through
 * the API for this run; values must show up in Zabbix's history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListenerZabbixIT {
    private static final String ENT = "1.3.6.1.4.1.36957";
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "listener-it-" + suffix;
    private Sandbox sandbox;
    private ListenerZabbix zabbix;
    private String hostId;
    private Path tmp;
    private TogglingProxy proxy;
    private Listener listener;
    private int snmpPort;

    @BeforeAll
    void setUp() throws Exception {
        sandbox = Sandbox.get();
        zabbix = new ListenerZabbix(sandbox);
        hostId = zabbix.createHostWithLld(host, List.of(), Prototype.STATE, Prototype.EVENT);
        zabbix.api.call("item.create", List.of(
                Map.of("hostid", hostId, "name", "unknown traps", "key_", "vcr.trap.unknown", "type", 2, "value_type", 4)));

        tmp = Files.createTempDirectory("listener-it");
        ListenerFiles.writePrivate(tmp.resolve("auth"), "authpass-" + suffix + "\n");
        ListenerFiles.writePrivate(tmp.resolve("priv"), "privpass-" + suffix + "\n");
        Path yaml = tmp.resolve("trap-listener.yaml");
        ListenerFiles.writePrivate(yaml, "snmp:\n  communities: [it-" + suffix + "]\n"
                + "  v3-users:\n    - {name: vcrit, auth-protocol: SHA, auth-password-file: " + tmp.resolve("auth")
                + ", priv-protocol: AES, priv-password-file: " + tmp.resolve("priv") + "}\n"
                + "batch:\n  refused-retry: 60s\nself-monitoring:\n  interval: 0\n"
                + "zabbix:\n  api-url: " + sandbox.value(Sandbox.ZABBIX_API_URL) + "\n  api-token-file: " + sandbox.path(Sandbox.ZABBIX_TOKEN_FILE) + "\n");
        // The listener reaches Zabbix through a proxy the test can cut (Zabbix "stopped").
        proxy = new TogglingProxy(sandbox.address(Sandbox.ZABBIX_TRAPPER));
        proxy.up();
        String libvirtUri = sandbox.value(Sandbox.LIBVIRT_URI);
        ListenerConfig cfg = ConfigLoader.load(yaml, new ConfigLoader.Overrides("127.0.0.1:0",
                List.of("127.0.0.1:" + proxy.port()), List.of(libvirtUri + "=" + host, "127.0.0.1=" + host),
                List.of(libvirtUri), tmp.resolve("spool"), "2s", host));
        listener = new Listener(cfg, new ZabbixTrapper(cfg.zabbixServers(), Duration.ofSeconds(5), cfg.zabbixResendWindow()));
        listener.start();
        snmpPort = listener.snmpPort();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (listener != null) listener.close();
        if (proxy != null) proxy.down();
        if (zabbix != null) zabbix.close();
    }

    @Test
    void aV2cTrapCreatesTheVmsItemsThroughDiscoveryAndItsStateArrives() throws Exception {
        String vm = "web-" + suffix;
        snmptrap("-v2c", "-c", "it-" + suffix, vm, 5);
        assertThat(lastValues("vcr.vm.state[" + vm + "]", 3, Duration.ofSeconds(40), 1)).containsExactly("5");
    }

    @Test
    void aV3AuthPrivTrapIsAccepted() throws Exception {
        String vm = "v3-" + suffix;
        snmptrap("-v3", "-u", "vcrit", "-l", "authPriv", "-a", "SHA", "-A", "authpass-" + suffix, "-x", "AES",
                "-X", "privpass-" + suffix, "-e", "0x8000000001020304" + suffix.substring(0, 4), vm, 6);
        assertThat(lastValues("vcr.vm.state[" + vm + "]", 3, Duration.ofSeconds(40), 1)).containsExactly("6");
    }

    @Test
    void aDestroyedLibvirtDomainShowsUpAsAnEventAndShutoffState() throws Exception {
        String vm = "lv-" + suffix;
        zabbix.startAndDestroyDomain(sandbox.value(Sandbox.LIBVIRT_URI), hostId, vm);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> history("vcr.vm.event[" + vm + "]", 4, 10).contains("STOPPED DESTROYED"));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> history("vcr.vm.state[" + vm + "]", 3, 10).contains("5"));
    }

    @Test
    void whileZabbixIsUnreachableTrapsAreSpooledAndThenArriveInOrder() throws Exception {
        String vm = "spool-" + suffix;
        snmptrap("-v2c", "-c", "it-" + suffix, vm, 1);
        lastValues("vcr.vm.state[" + vm + "]", 3, Duration.ofSeconds(40), 1); // the item exists now
        proxy.down();
        long spooledBefore = listener.stats().valuesSpooled.sum();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int state = i % 8;
            sent.add(Integer.toString(state));
            snmptrap("-v2c", "-c", "it-" + suffix, vm, state);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> listener.stats().valuesSpooled.sum() > spooledBefore);
        proxy.up();
        List<String> got = lastValues("vcr.vm.state[" + vm + "]", 3, Duration.ofSeconds(40), 13);
        assertThat(got.subList(1, 13)).containsExactlyElementsOf(sent);
    }

    @Test
    void malformedPacketsAndAWrongCommunityAreCountedAndDroppedWithoutDisturbingValidTraps() throws Exception {
        String vm = "ok-" + suffix;
        String evil = "evil-" + suffix;
        long invalidBefore = listener.stats().trapsInvalid.sum();
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] junk : List.of("GET / HTTP/1.0\r\n\r\n".getBytes(), new byte[] {0x30, (byte) 0x82, 0x7f, 0x7f, 0x02}, new byte[0])) {
                s.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), snmpPort));
            }
        }
        snmptrap("-v2c", "-c", "wrong-community", evil, 5);
        snmptrap("-v2c", "-c", "it-" + suffix, vm, 3);
        assertThat(lastValues("vcr.vm.state[" + vm + "]", 3, Duration.ofSeconds(40), 1)).containsExactly("3");
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.stats().trapsInvalid.sum() >= invalidBefore + 3);
        assertThat(itemId("vcr.vm.state[" + evil + "]")).isNull();
    }

    @Test
    void aTrapFromAnotherMibGoesToTheFallbackItem() throws Exception {
        run(List.of(sandbox.value(Sandbox.SNMPTRAP), "-v2c", "-c", "it-" + suffix, "127.0.0.1:" + snmpPort, "",
                "1.3.6.1.4.1.8072.2.3.0.1", "1.3.6.1.4.1.8072.2.3.2.1", "i", "42"));
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> history("vcr.trap.unknown", 4, 10).stream().anyMatch(v -> v.contains("1.3.6.1.4.1.8072.2.3.0.1")));
    }

    @Test
    void anUnmappedSourceIsSentToTheHostWhoseInterfaceHasItsAddress() throws Exception {
        String ip = "127.0.77." + (2 + new java.util.Random().nextInt(250));
        String other = "listener-it-api-" + suffix;
        String otherId = zabbix.createHostWithLld(other, List.of(Map.of("type", 1, "main", 1, "useip", 1, "ip", ip, "dns", "", "port", "10050")),
                Prototype.STATE, Prototype.EVENT);
        String vm = "api-" + suffix;
        snmptrap("--clientaddr=" + ip, "-v2c", "-c", "it-" + suffix, vm, 7);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String id = zabbix.itemId(otherId, "vcr.vm.state[" + vm + "]");
            if (id == null) return false;
            JsonNode h = zabbix.api.call("history.get", Map.of("itemids", id, "history", 3, "output", "extend"));
            return h.size() > 0 && h.get(0).get("value").asText().equals("7");
        });
        assertThat(itemId("vcr.vm.state[" + vm + "]")).as("not on the default host").isNull();
    }

    // --- helpers -----------------------------------------------------------------------

    /** snmptrap OPTIONS… VM STATE: a libvirtGuestNotif to the listener. */
    private void snmptrap(Object... a) throws Exception {
        String[] argsAndVmAndState = new String[a.length];
        for (int i = 0; i < a.length; i++) argsAndVmAndState[i] = String.valueOf(a[i]);
        int n = argsAndVmAndState.length;
        List<String> cmd = new ArrayList<>();
        cmd.add(sandbox.value(Sandbox.SNMPTRAP));
        cmd.addAll(List.of(argsAndVmAndState).subList(0, n - 2));
        cmd.addAll(List.of("127.0.0.1:" + snmpPort, "", ENT + ".0.1",
                ENT + ".1.1.1.2", "s", argsAndVmAndState[n - 2], ENT + ".1.1.1.3", "i", argsAndVmAndState[n - 1]));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd.get(0), new String(out)).isZero();
    }

    private String itemId(String key) throws IOException, InterruptedException {
        return zabbix.itemId(hostId, key);
    }

    private List<String> history(String key, int type, int limit) throws IOException, InterruptedException {
        return zabbix.history(hostId, key, type, limit);
    }

    /** Polls until {@code key} has at least {@code count} values; returns them, oldest first. */
    private List<String> lastValues(String key, int type, Duration deadline, int count) {
        List<List<String>> box = new ArrayList<>();
        await().atMost(deadline).pollInterval(Duration.ofMillis(300)).until(() -> {
            List<String> h = history(key, type, 100);
            box.clear();
            box.add(h);
            return h.size() >= count;
        });
        return box.get(0);
    }

    /** A loopback TCP forwarder to Zabbix's trapper that the test can take down and bring back on the same port. */
    static final class TogglingProxy {
        private final InetSocketAddress upstream;
        private final int port;
        private volatile ServerSocket server;

        TogglingProxy(InetSocketAddress upstream) throws IOException {
            this.upstream = upstream;
            try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                this.port = probe.getLocalPort();
            }
        }

        int port() {
            return port;
        }

        synchronized void up() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread t = new Thread(() -> accept(s), "proxy-accept");
            t.setDaemon(true);
            t.start();
        }

        synchronized void down() throws IOException {
            if (server != null) server.close();
            server = null;
        }

        private void accept(ServerSocket s) {
            while (!s.isClosed()) {
                try {
                    Socket in = s.accept();
                    Socket out = new Socket();
                    out.connect(upstream, 3000);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed by down(), or upstream refused: the client sees a dropped connection
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    i.transferTo(o);
                } catch (IOException ignored) {
                    // either side closed
                } finally {
                    try {
                        to.shutdownOutput();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }, "proxy-pump");
            t.setDaemon(true);
            t.start();
        }
    }
}
