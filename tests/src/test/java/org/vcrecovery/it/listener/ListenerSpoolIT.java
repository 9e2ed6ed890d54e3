package org.vcrecovery.it.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;

/**
 * The listener's spool directory on disk, with the listener run as its own process: stray bytes
 * at the end of a segment that is not the last one must not stop the values after them from
 * reaching the real Zabbix after a restart, and a second listener pointed at a spool directory
 * in use must refuse to start.
 */
class ListenerSpoolIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "listener-spool-" + suffix;
    private final List<Process> processes = new ArrayList<>();
    private ListenerZabbix zabbix;
    private Sandbox sandbox;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (zabbix != null) zabbix.close();
    }

    @Test
    void strayBytesAtTheEndOfANonLastSegmentDoNotStopTheValuesAfterThemFromShippingAfterARestart() throws Exception {
        sandbox = Sandbox.get();
        zabbix = new ListenerZabbix(sandbox);
        String hostId = zabbix.createHostWithLld(host, List.of(), ListenerZabbix.Prototype.STATE);
        zabbix.api.call("item.create", List.of(
                Map.of("hostid", hostId, "name", "unknown traps", "key_", "vcr.trap.unknown", "type", 2, "value_type", 4)));
        Path tmp = Files.createTempDirectory("listener-spool");
        Path spool = tmp.resolve("spool");
        // 1 MiB spool: 128 KiB segments; each inform below spools about 1.7 KiB.
        Path config = ListenerFiles.writePrivate(tmp.resolve("c.yaml"), "snmp:\n  communities: [spool-" + suffix + "]\n"
                + "spool:\n  max-bytes: 1MiB\nself-monitoring:\n  interval: 0\nshutdown:\n  grace: 0s\n");
        int snmpPort = ListenerFiles.freeUdpPort();
        Process first = ListenerFiles.startListener(processes, config, spool, snmpPort, "127.0.0.1:" + ListenerFiles.freeTcpPort(), host);
        assertThat(first.isAlive()).as("first listener started").isTrue();
        List<String> sent = new ArrayList<>();
        String filler = "x".repeat(1500);
        for (int i = 0; segments(spool).size() < 3; i++) {
            assertThat(i).as("informs sent before a third segment").isLessThan(400);
            String marker = "seq-" + suffix + "-" + i;
            inform(snmpPort, marker + "-" + filler);
            sent.add(marker);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.write(segments(spool).get(0), "xxxxx".getBytes(), StandardOpenOption.APPEND); // the audit's reproducer

        ListenerFiles.startListener(processes, config, spool, snmpPort, sandbox.value(Sandbox.ZABBIX_TRAPPER), host);
        List<String> missing = new ArrayList<>(sent);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<String> got = zabbix.history(hostId, "vcr.trap.unknown", 4, 1000);
            missing.removeIf(m -> got.stream().anyMatch(v -> v.contains(m + "-")));
            return missing.isEmpty();
        });
        assertThat(Files.readString(ListenerFiles.log(spool, 1))).contains("not a whole record (torn write or damage), skipped");
    }

    @Test
    void aSecondListenerOnASpoolDirectoryInUseRefusesToStartWithOneClearLine() throws Exception {
        sandbox = Sandbox.get();
        Path tmp = Files.createTempDirectory("listener-spool-twice");
        Path spool = tmp.resolve("spool");
        Path config = ListenerFiles.writePrivate(tmp.resolve("c.yaml"), "snmp:\n  communities: [twice-" + suffix + "]\n");
        String zbx = sandbox.value(Sandbox.ZABBIX_TRAPPER);
        Process first = ListenerFiles.startListener(processes, config, spool, ListenerFiles.freeUdpPort(), zbx, host);
        assertThat(first.isAlive()).isTrue();
        Process second = ListenerFiles.startListener(processes, config, spool, ListenerFiles.freeUdpPort(), zbx, host);
        assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(Files.readString(ListenerFiles.log(spool, 1))).contains("vcr-trap-listener: cannot start: spool directory " + spool
                + " is in use by another vcr-trap-listener (pid " + first.pid() + "): give each listener its own spool.dir");
        assertThat(first.isAlive()).as("the first listener keeps running").isTrue();
    }

    private static List<Path> segments(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) return List.of();
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** A v2c INFORM the listener does not know (goes to vcr.trap.unknown); returns once answered, i.e. spooled. */
    private void inform(int port, String text) throws Exception {
        String snmpinform = Path.of(sandbox.value(Sandbox.SNMPTRAP)).resolveSibling("snmpinform").toString();
        Process p = new ProcessBuilder(snmpinform, "-v2c", "-c", "spool-" + suffix, "-t", "2", "-r", "2", "127.0.0.1:" + port, "",
                "1.3.6.1.4.1.8072.2.3.0.1", "1.3.6.1.4.1.8072.2.3.2.1", "s", text).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("snmpinform answered: %s", out).isZero();
    }
}
