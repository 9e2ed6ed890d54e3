package org.vcrecovery.it.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.listener.ConfigLoader;
import org.vcrecovery.listener.Listener;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.ship.ZabbixTrapper;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * Zabbix server HA under the listener: two server nodes on the sandbox's database
 * ({@code tests/env/ha/up}: vcr-node1 active on :20051, vcr-node2 standby on :20052, failover
 * delay 10 s). The listener (in process, both nodes in its server list) receives a steady stream
 * of SNMP traps; the active node's whole process group is SIGKILLed in the middle. The standby
 * takes over, the listener's sender moves to it, and every value sent from the kill on (spooled
 * while no node answered) arrives in Zabbix in order, once. Values the killed node had already
 * acknowledged but still held in its history cache (flushed about once a second) would die with it:
 * the listener sends its last resend window again to the node that takes over, so none is lost.
 * Prints the takeover time and the values lost. Afterwards {@code tests/env/ha/down} gives the sandbox its standalone server back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerHaFailoverIT {
    private static final String ENT = "1.3.6.1.4.1.36957";
    private static final int TRAPS = 120;
    private static final long TRAP_EVERY_MS = 200;
    private static final int KILL_AT = 10;
    /** Values node1 acknowledges with its history syncers stopped: in its cache only, never written, when it is killed. */
    private static final int CACHED = 3;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "ha-it-" + suffix;
    private final String vm = "ha-vm-" + suffix;
    private Sandbox sandbox;
    private Path envDir;
    private ZabbixApi api;
    private String hostId;
    private Listener listener;
    private Path tmp;

    @BeforeAll
    void setUp() throws Exception {
        sandbox = Sandbox.get();
        envDir = Path.of(System.getProperty("vcr.repo", ".")).resolve("tests/env").toAbsolutePath().normalize();
        run(120, envDir.resolve("ha/up").toString());
        api = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL))).tokenFile(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
        String groupId = api.call("hostgroup.get", Map.of("output", List.of("groupid"),
                "filter", Map.of("name", List.of(sandbox.value(Sandbox.ZABBIX_HOSTGROUP))))).path(0).path("groupid").asText();
        hostId = api.call("host.create", Map.of("host", host, "groups", List.of(Map.of("groupid", groupId))))
                .path("hostids").path(0).asText();
        Map<String, Object> rule = new HashMap<>(Map.of("hostid", hostId, "name", "VMs", "key_", "vcr.vm.discovery", "type", 2, "lifetime", "1h"));
        if (!sandbox.value(Sandbox.ZABBIX_VERSION).startsWith("6.")) rule.put("enabled_lifetime_type", 1);
        String ruleId = api.call("discoveryrule.create", rule).path("itemids").path(0).asText();
        api.call("itemprototype.create", List.of(Map.of("hostid", hostId, "ruleid", ruleId, "name", "state {#VM.NAME}",
                "key_", "vcr.vm.state[{#VM.NAME}]", "type", 2, "value_type", 3)));

        tmp = Files.createTempDirectory("ha-it");
        Path yaml = tmp.resolve("trap-listener.yaml");
        Files.writeString(yaml, "snmp:\n  communities: [ha-" + suffix + "]\nself-monitoring:\n  interval: 0\n");
        Files.setPosixFilePermissions(yaml, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        InetSocketAddress node1 = sandbox.address(Sandbox.ZABBIX_TRAPPER);
        String node2 = node1.getHostString() + ":" + (node1.getPort() + 1);
        ListenerConfig cfg = ConfigLoader.load(yaml, new ConfigLoader.Overrides("127.0.0.1:0",
                List.of(node1.getHostString() + ":" + node1.getPort(), node2), List.of("127.0.0.1=" + host),
                List.of(), tmp.resolve("spool"), "2s", host));
        listener = new Listener(cfg, new ZabbixTrapper(cfg.zabbixServers(), Duration.ofSeconds(3), cfg.zabbixResendWindow()));
        listener.start();
    }

    @AfterAll
    void tearDown() throws Exception {
        if (listener != null) listener.close();
        if (api != null && hostId != null) api.call("host.delete", List.of(hostId));
        if (api != null) api.close();
        run(120, envDir.resolve("ha/down").toString());
    }

    @Test
    void killingTheActiveNodeLosesNoValueTheListenerAcknowledged() throws Exception {
        trap(0);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300)).until(() -> history().size() >= 1);

        InetSocketAddress node2 = new InetSocketAddress("127.0.0.1", sandbox.address(Sandbox.ZABBIX_TRAPPER).getPort() + 1);
        long pgid = Long.parseLong(Files.readString(Path.of(sandbox.value("STATE_DIR"), "run", "zabbix-ha1.pid")).trim());
        List<String> sent = new ArrayList<>();
        Instant killed = null;
        Instant takeover = null;
        long spooledBefore = listener.stats().valuesSpooled.sum();
        for (int i = 0; i < TRAPS; i++) {
            if (i == KILL_AT - CACHED) freezeHistorySyncers(pgid);
            if (i == KILL_AT) {
                killed = Instant.now();
                run(10, "kill", "-KILL", "--", "-" + pgid);   // the node's whole process group: a crash
            }
            if (killed != null && takeover == null && listening(node2)) takeover = Instant.now();
            int state = 1 + i % 7;
            trap(state);
            sent.add(Integer.toString(state));
            Thread.sleep(TRAP_EVERY_MS);
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (takeover == null && Instant.now().isBefore(deadline)) {
            if (listening(node2)) takeover = Instant.now();
            else Thread.sleep(100);
        }
        assertThat(takeover).as("vcr-node2 took over within 60 s of the kill").isNotNull();
        int afterKill = TRAPS - KILL_AT;
        List<String> got = history();
        for (Instant end = Instant.now().plusSeconds(60); !endsWith(got, sent.subList(KILL_AT, TRAPS)) && Instant.now().isBefore(end); got = history()) {
            Thread.sleep(500);
        }
        // One more history sync at most (1.5 s): anything still on its way from before the kill; done early when all arrived.
        for (Instant end = Instant.now().plusMillis(1500); got.size() < 1 + TRAPS && Instant.now().isBefore(end); got = history()) {
            Thread.sleep(100);
        }
        // Values sent from the kill on went through the spool to vcr-node2: all of them, in order, once.
        assertThat(got.size()).as("values in Zabbix: " + got).isGreaterThanOrEqualTo(1 + afterKill);
        assertThat(got.subList(got.size() - afterKill, got.size())).as("every value sent from the kill on, in order, once")
                .containsExactlyElementsOf(sent.subList(KILL_AT, TRAPS));
        // Before the kill, vcr-node1 acknowledged CACHED values it still held in its history cache (its
        // history syncers were stopped: they would otherwise write within a second). The listener sends what it saw acknowledged in its last
        // zabbix.resend-window (3 s) again to vcr-node2 when it moves there, so none is lost, and
        // the database's primary key keeps the ones node1 did write from being doubled.
        List<String> beforeKill = got.subList(1, got.size() - afterKill);
        int lost = KILL_AT - beforeKill.size();
        System.out.printf("Zabbix %s HA: takeover %d ms after SIGKILL of the active node (failover delay 10 s);"
                + " %d values sent, %d arrived once each; lost %d; spooled %d%n",
                sandbox.value(Sandbox.ZABBIX_API_VERSION), Duration.between(killed, takeover).toMillis(), TRAPS,
                got.size() - 1, lost, listener.stats().valuesSpooled.sum() - spooledBefore);
        assertThat(beforeKill).as("every value from before the kill, in order, once: none lost with the killed node's cache")
                .containsExactlyElementsOf(sent.subList(0, KILL_AT));
        assertThat(listener.stats().valuesSpooled.sum()).as("values waited in the spool while no node answered").isGreaterThan(spooledBefore);
        assertThat(listener.stats().valuesDropped.sum()).isZero();
    }

    /**
     * SIGSTOPs the history syncers of the node whose process group is {@code pgid}: its trappers
     * still acknowledge values, which then stay in its cache (Zabbix 7.0 writes new values within
     * milliseconds, 6.0 within a second, so without this the kill would only sometimes catch any).
     */
    private static void freezeHistorySyncers(long pgid) throws Exception {
        Process ps = new ProcessBuilder("ps", "-o", "pid=,args=", "-g", Long.toString(pgid)).start();
        int stopped = 0;
        for (String line : new String(ps.getInputStream().readAllBytes()).split("\n")) {
            if (!line.contains("history syncer")) continue;
            run(10, "kill", "-STOP", line.trim().split("\\s+")[0]);
            stopped++;
        }
        assertThat(stopped).as("history syncers of vcr-node1 found by ps").isPositive();
    }

    private static boolean endsWith(List<String> list, List<String> tail) {
        return list.size() >= tail.size() && list.subList(list.size() - tail.size(), list.size()).equals(tail);
    }

    /** The state history of the VM's item, oldest first (by the listener's clock+ns). */
    private List<String> history() throws Exception {
        JsonNode items = api.call("item.get", Map.of("hostids", List.of(hostId), "filter", Map.of("key_", "vcr.vm.state[" + vm + "]"),
                "output", List.of("itemid")));
        List<String> out = new ArrayList<>();
        if (items.isEmpty()) return out;
        JsonNode rows = api.call("history.get", Map.of("itemids", List.of(items.path(0).path("itemid").asText()), "history", 3,
                "sortfield", "clock", "sortorder", "ASC", "limit", 1000, "output", "extend"));
        List<JsonNode> list = new ArrayList<>();
        rows.forEach(list::add);
        list.sort((a, b) -> a.path("clock").asLong() != b.path("clock").asLong()
                ? Long.compare(a.path("clock").asLong(), b.path("clock").asLong())
                : Long.compare(a.path("ns").asLong(), b.path("ns").asLong()));
        for (JsonNode r : list) out.add(r.path("value").asText());
        return out;
    }

    private void trap(int state) throws Exception {
        run(10, sandbox.value(Sandbox.SNMPTRAP), "-v2c", "-c", "ha-" + suffix, "127.0.0.1:" + listener.snmpPort(), "", ENT + ".0.1",
                ENT + ".1.1.1.2", "s", vm, ENT + ".1.1.1.3", "i", Integer.toString(state));
    }

    private static boolean listening(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void run(long seconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), new String(out)).isZero();
    }
}
