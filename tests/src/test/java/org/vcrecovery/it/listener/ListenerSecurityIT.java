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
import org.vcrecovery.listener.ConfigLoader;
import org.vcrecovery.listener.Listener;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.ship.ZabbixTrapper;

/**
 * Forged traps from net-snmp's real snmptrap against the real listener and the sandbox's real
 * Zabbix: a listener with one SNMPv3 user configured authPriv, no community and the source
 * allowlist {@code 127.0.0.1}. A v2c trap with community {@code public} (the old default), v3
 * traps at noAuthNoPriv and authNoPriv for that user, and an authPriv trap from a source not in
 * the list must change nothing in Zabbix (no VM discovered, no state), while the properly
 * authenticated trap sent after them arrives.
 */
class ListenerSecurityIT {
    private static final String ENT = "1.3.6.1.4.1.36957";
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "listener-sec-" + suffix;
    private ListenerZabbix zabbix;
    private Listener listener;
    private Sandbox sandbox;
    private int engines;

    @AfterEach
    void cleanUp() throws Exception {
        if (listener != null) listener.close();
        if (zabbix != null) zabbix.close();
    }

    @Test
    void forgedAndUnderAuthenticatedTrapsReachNothingWhileTheAuthPrivTrapFromTheListedSourceArrives() throws Exception {
        sandbox = Sandbox.get();
        zabbix = new ListenerZabbix(sandbox);
        String hostId = zabbix.createHostWithLld(host, List.of(), Prototype.STATE);
        Path tmp = Files.createTempDirectory("listener-sec");
        ListenerFiles.writePrivate(tmp.resolve("auth"), "authpass-" + suffix + "\n");
        ListenerFiles.writePrivate(tmp.resolve("priv"), "privpass-" + suffix + "\n");
        Path yaml = ListenerFiles.writePrivate(tmp.resolve("trap-listener.yaml"), "snmp:\n  sources: [127.0.0.1]\n"
                + "  v3-users:\n    - {name: vcrsec, auth-protocol: SHA, auth-password-file: " + tmp.resolve("auth")
                + ", priv-protocol: AES, priv-password-file: " + tmp.resolve("priv") + "}\n"
                + "batch:\n  refused-retry: 60s\nself-monitoring:\n  interval: 0\n");
        ListenerConfig cfg = ConfigLoader.load(yaml, new ConfigLoader.Overrides("127.0.0.1:0",
                List.of(sandbox.value(Sandbox.ZABBIX_TRAPPER)), List.of(), List.of(), tmp.resolve("spool"), null, host));
        listener = new Listener(cfg, new ZabbixTrapper(cfg.zabbixServers(), Duration.ofSeconds(5), cfg.zabbixResendWindow()));
        listener.start();
        String port = "127.0.0.1:" + listener.snmpPort();
        String authPriv = "authPriv";

        List<String> forged = new ArrayList<>();
        forged.add(trap(port, "public-" + suffix, "-v2c", "-c", "public"));
        forged.add(trap(port, "noauth-" + suffix, "-v3", "-u", "vcrsec", "-l", "noAuthNoPriv", "-e", engine()));
        forged.add(trap(port, "authnopriv-" + suffix, "-v3", "-u", "vcrsec", "-l", "authNoPriv", "-a", "SHA",
                "-A", "authpass-" + suffix, "-e", engine()));
        forged.add(trap(port, "source-" + suffix, "--clientaddr=127.0.0.9", "-v3", "-u", "vcrsec", "-l", authPriv, "-a", "SHA",
                "-A", "authpass-" + suffix, "-x", "AES", "-X", "privpass-" + suffix, "-e", engine()));
        String good = trap(port, "good-" + suffix, "-v3", "-u", "vcrsec", "-l", authPriv, "-a", "SHA",
                "-A", "authpass-" + suffix, "-x", "AES", "-X", "privpass-" + suffix, "-e", engine());

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> zabbix.history(hostId, "vcr.vm.state[" + good + "]", 3, 10).contains("6"));
        // The one decode thread handled the forged traps before the good one, and discovery lists
        // every VM of the host: had one been accepted, its item would exist by now.
        for (String vm : forged) assertThat(zabbix.itemId(hostId, "vcr.vm.state[" + vm + "]")).as(vm).isNull();
        assertThat(listener.stats().trapsInvalid.sum()).isEqualTo(forged.size());
        assertThat(listener.stats().trapsReceived.sum()).isEqualTo(1);
    }

    /** A distinct sender engine ID per v3 trap (snmptrap is the authoritative engine of its traps). */
    private String engine() {
        return String.format("0x80000000010203%s%02x", suffix.substring(0, 4), engines++);
    }

    /** Sends a libvirtGuestNotif "VM crashed" for {@code vm} with the given snmptrap options; returns vm. */
    private String trap(String target, String vm, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(sandbox.value(Sandbox.SNMPTRAP)));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(target, "", ENT + ".0.1", ENT + ".1.1.1.2", "s", vm, ENT + ".1.1.1.3", "i", "6"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
        return vm;
    }
}
