package org.vcrecovery.it.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.listener.ListenerZabbix.Prototype;

/**
 * "A listener killed with SIGKILL loses nothing it had acknowledged": the listener runs as a
 * subprocess with Zabbix unreachable, answers INFORMs from net-snmp's snmpinform (answered =
 * durable in its spool), is killed with SIGKILL, restarted against the real Zabbix, and every
 * acknowledged value must show up in Zabbix, in order.
 */
class ListenerCrashIT {
    private static final String ENT = "1.3.6.1.4.1.36957";
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "listener-crash-" + suffix;
    private final List<Process> processes = new ArrayList<>();
    private ListenerZabbix zabbix;
    private String hostId;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (zabbix != null) zabbix.close();
    }

    @Test
    void informsAnsweredBeforeASigkillAreDeliveredAfterTheRestart() throws Exception {
        Sandbox sandbox = Sandbox.get();
        zabbix = new ListenerZabbix(sandbox);
        hostId = zabbix.createHostWithLld(host, List.of(), Prototype.STATE);

        Path spool = Files.createTempDirectory("listener-crash");
        int deadPort = ListenerFiles.freeTcpPort();
        int snmpPort = ListenerFiles.freeUdpPort();
        Process first = startListener(spool, snmpPort, "127.0.0.1:" + deadPort);
        String vm = "crash-" + suffix;
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String state = Integer.toString(i % 8);
            String snmpinform = Path.of(sandbox.value(Sandbox.SNMPTRAP)).resolveSibling("snmpinform").toString();
            Process inform = new ProcessBuilder(snmpinform, "-v2c", "-c", "crash-" + suffix, "-t", "2", "-r", "2",
                    "127.0.0.1:" + snmpPort, "", ENT + ".0.1", ENT + ".1.1.1.2", "s", vm, ENT + ".1.1.1.3", "i", state)
                    .redirectErrorStream(true).start();
            String out = new String(inform.getInputStream().readAllBytes());
            assertThat(inform.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(inform.exitValue()).as("snmpinform acknowledged: %s", out).isZero();
            acknowledged.add(state);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        startListener(spool, snmpPort, sandbox.value(Sandbox.ZABBIX_TRAPPER));
        List<String> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> {
            got.clear();
            got.addAll(zabbix.history(hostId, "vcr.vm.state[" + vm + "]", 3, 1000));
            return got.size() >= acknowledged.size();
        });
        assertThat(got).containsExactlyElementsOf(acknowledged);
    }

    private Process startListener(Path spool, int snmpPort, String zabbix) throws Exception {
        Path config = spool.resolveSibling(spool.getFileName() + ".yaml");
        ListenerFiles.writePrivate(config, "snmp:\n  communities: [crash-" + suffix + "]\n  sources: [127.0.0.1]\n");
        Process p = ListenerFiles.startListener(processes, config, spool, snmpPort, zabbix, host);
        assertThat(p.isAlive()).as("listener started").isTrue();
        return p;
    }
}
