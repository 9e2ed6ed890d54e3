package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookReader;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The recovery pipeline against fakes of Zabbix, DNS and the backends, with real sockets on
 * loopback addresses for the service checks (a bound socket is a service that answers).
 */
class RecoveryTest {
    @TempDir
    Path state;

    final String net = "127." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    final String primary = net + "1";
    final String warm = net + "2";
    final String cold = net + "3";
    final List<ServerSocket> sockets = new ArrayList<>();
    int port;

    Fakes.Zabbix zabbix = new Fakes.Zabbix();
    Fakes.Backend lxc = new Fakes.Backend("lxc");
    Fakes.Backend libvirt = new Fakes.Backend("libvirt");
    Fakes.Dns dns;
    VcrConfig config;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(warm), 0));
        port = s.getLocalPort();
        s.close();
        libvirt.states.put("svc-vm", StandbyState.RUNNING);
        lxc.states.put("cold", StandbyState.STOPPED);
        lxc.onStart.put("cold", () -> serve(cold));
        config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/api_jsonrpc.php"), Path.of("/t"), null,
                null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, null), state, state, Duration.ofMinutes(10), null);
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (ServerSocket s : sockets) s.close();
    }

    void serve(String address) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            sockets.add(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Runbook runbook(String extra) throws Exception {
        String yaml = """
                service: svc
                zabbix-host: svc-vm
                primary:
                  uri: test:///default
                  domain: svc-vm
                  address: %s
                standbys:
                  - name: warm
                    kind: warm-container
                    backend: lxc
                    address: %s
                  - name: cold
                    kind: cold-container
                    backend: lxc
                    address: %s
                checks:
                  - protocol: tcp
                    port: %d
                    timeout: 200ms
                dns:
                  server: 127.0.0.1:53
                  zone: example.test
                  name: svc
                limits:
                  check-timeout: 300ms
                """.formatted(primary, warm, cold, port) + extra;
        Runbook rb = RunbookReader.read(new StringReader(yaml), Path.of("svc.yaml"));
        if (dns == null) dns = new Fakes.Dns(rb.dns(), primary);
        return rb;
    }

    RecoveryReport recover(Runbook rb, String event) {
        return recover(rb, event, null);
    }

    RecoveryReport recover(Runbook rb, String event, String standby) {
        return new Recovery(rb, config, zabbix, dns, StandbyBackends.of(List.of(Fakes.factory(lxc), Fakes.factory(libvirt))),
                new ServiceChecker(), new PrintWriter(err, true)).run(event, standby);
    }

    @Test
    void aWarmStandbyIsCheckedTheDnsSwitchedAndTheEventAcknowledged() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook(""), "1001");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.standby()).isEqualTo("warm");
        assertThat(dns.values).containsExactly(warm);
        assertThat(libvirt.calls).contains("stop svc-vm");
        assertThat(lxc.calls).doesNotContain("start warm");
        assertThat(r.steps()).extracting(StepResult::name)
                .containsExactly("lock", "dedup", "maintenance", "dns-read", "fence", "check", "dns", "ack");
        assertThat(r.summary()).matches("svc: recovered on warm \\(" + warm.replace(".", "\\.")
                + "\\) in \\d+ ms: maintenance \\d+ ms, dns-read \\d+ ms, fence \\d+ ms, check \\d+ ms, dns \\d+ ms, ack \\d+ ms");
        assertThat(zabbix.acks).singleElement().asString()
                .startsWith("1001 ack vcr: svc recovered on warm")
                .contains("fence ok", "destroyed domain svc-vm", "check ok", "dns ok", "switched svc.example.test. A " + primary + " -> " + warm);
        assertThat(Files.readAllLines(state.resolve("audit.jsonl"))).singleElement().asString()
                .contains("\"event_id\":\"1001\"", "\"result\":\"OK\"", "\"name\":\"fence\"");
    }

    @Test
    void theSameEventTwiceIsADuplicateAndSoIsAnotherEventInsideTheWindow() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        assertThat(recover(rb, "7").exitCode()).isEqualTo(ExitCode.OK);
        RecoveryReport again = recover(rb, "7");
        RecoveryReport other = recover(rb, "8");

        assertThat(again.exitCode()).isEqualTo(ExitCode.DUPLICATE);
        assertThat(again.headline()).contains("event 7 was already recovered");
        assertThat(other.exitCode()).isEqualTo(ExitCode.DUPLICATE);
        assertThat(other.headline()).contains("inside the dedup window of 10m");
        assertThat(dns.updates).hasSize(1);
        assertThat(zabbix.acks).hasSize(1);
    }

    @Test
    void aHostInMaintenanceIsLeftAlone() throws Exception {
        serve(warm);
        zabbix.maintenance = true;
        RecoveryReport r = recover(runbook(""), "9");

        assertThat(r.exitCode()).isEqualTo(ExitCode.IN_MAINTENANCE);
        assertThat(libvirt.calls).isEmpty();
        assertThat(dns.updates).isEmpty();
        assertThat(zabbix.acks).singleElement().asString().startsWith("9 msg ").contains("in maintenance");
    }

    @Test
    void anUnreachableZabbixDoesNotBlockRecoveryByDefaultButIsReported() throws Exception {
        serve(warm);
        zabbix.maintenanceFailure = new IOException("connection refused");
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).singleElement().asString().startsWith("maintenance unknown (Zabbix: connection refused)");
        assertThat(r.summary()).contains("maintenance failed", "; maintenance unknown");
    }

    @Test
    void anUnreachableZabbixWithPolicyRefuseChangesNothing() throws Exception {
        serve(warm);
        zabbix.maintenanceFailure = new IOException("connection refused");
        config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/"), Path.of("/t"), null, null,
                Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.REFUSE, null), state, state, Duration.ofMinutes(10), null);
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(libvirt.calls).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void aColdStandbyIsStartedWhenTheWarmOneDoesNotAnswer() throws Exception {
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.standby()).isEqualTo("cold");
        assertThat(lxc.calls).contains("start cold");
        assertThat(dns.values).containsExactly(cold);
        assertThat(r.steps()).extracting(s -> s.name() + " " + s.outcome().label())
                .containsSubsequence("check failed", "start ok", "check ok", "dns ok");
    }

    @Test
    void aStandbyThatWeStartedAndThatFailsIsStoppedAgainAndDnsStaysPut() throws Exception {
        lxc.onStart.clear();
        RecoveryReport r = recover(runbook(""), "11");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(lxc.calls).containsSubsequence("start cold", "stop cold");
        assertThat(lxc.states).containsEntry("cold", StandbyState.STOPPED);
        assertThat(dns.values).containsExactly(primary);
        assertThat(dns.updates).isEmpty();
        assertThat(r.headline()).contains("no standby passed its checks", "warm", "cold");
        assertThat(zabbix.acks).singleElement().asString().startsWith("11 msg ");
    }

    @Test
    void aPrimaryThatCannotBeFencedAndStillAnswersStopsTheRunBeforeDns() throws Exception {
        serve(warm);
        serve(primary);
        libvirt.failure = new StandbyException(StandbyException.Code.UNREACHABLE, "libvirt: cannot connect");
        RecoveryReport r = recover(runbook(""), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.FENCING_FAILED);
        assertThat(r.headline()).contains("destroy failed: libvirt: cannot connect", "DNS left alone");
        assertThat(dns.updates).isEmpty();
        assertThat(lxc.calls).isEmpty();
    }

    @Test
    void allowUnfencedSwitchesAnywayAndSaysSo() throws Exception {
        serve(warm);
        libvirt.failure = new StandbyException(StandbyException.Code.UNREACHABLE, "libvirt: cannot connect");
        RecoveryReport r = recover(runbook("fencing:\n  mode: destroy\n  allow-unfenced: true\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).singleElement().asString().startsWith("UNFENCED");
        assertThat(dns.values).containsExactly(warm);
    }

    @Test
    void verifyDeadAcceptsAStoppedDomainWithSilentPorts() throws Exception {
        serve(warm);
        libvirt.states.put("svc-vm", StandbyState.STOPPED);
        RecoveryReport r = recover(runbook("fencing:\n  mode: verify-dead\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.steps()).filteredOn(s -> s.name().equals("fence")).singleElement()
                .satisfies(s -> assertThat(s.detail()).startsWith("proven dead: domain svc-vm is stopped"));
        assertThat(libvirt.calls).doesNotContain("stop svc-vm");
    }

    @Test
    void aRecordSomeoneElseChangedStopsTheRunBeforeAnythingIsTouched() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.values = List.of("127.0.0.99");
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.DNS_FAILED);
        assertThat(r.headline()).contains("someone else changed it; nothing changed");
        assertThat(libvirt.calls).isEmpty();
        assertThat(dns.values).containsExactly("127.0.0.99");
    }

    @Test
    void aReRunFindsTheRecordAlreadySwitched() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.values = List.of(warm);
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(dns.updates).isEmpty();
        assertThat(r.steps()).filteredOn(s -> s.name().equals("dns")).singleElement()
                .satisfies(s -> assertThat(s.detail()).startsWith("already switched"));
    }

    @Test
    void anUnreachableDnsServerIsUnreachableBeforeAnythingChanged() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        dns.readFailure = new IOException("no reply from 127.0.0.1:53");
        RecoveryReport r = recover(rb, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(libvirt.calls).isEmpty();
    }

    @Test
    void aFailedAcknowledgementDoesNotFailTheRecovery() throws Exception {
        serve(warm);
        zabbix.ackFailure = new IOException("HTTP 500");
        RecoveryReport r = recover(runbook(""), "12");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).singleElement().asString().isEqualTo("ack failed: HTTP 500");
        assertThat(r.summary()).contains("ack failed", "; ack failed: HTTP 500");
    }

    @Test
    void aSecondRunWhileTheLockIsHeldExitsInProgressNamingTheHolder() throws Exception {
        serve(warm);
        Runbook rb = runbook("");
        try (ServiceLock held = ServiceLock.tryAcquire(state, "svc").orElseThrow()) {
            RecoveryReport r = recover(rb, "13");
            assertThat(r.exitCode()).isEqualTo(ExitCode.IN_PROGRESS);
            assertThat(r.headline()).contains("held by pid " + ProcessHandle.current().pid());
        }
        assertThat(dns.updates).isEmpty();
        assertThat(recover(rb, "13").exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void theLadderRecoversInPlaceWhenRestartingTheServiceWorks() throws Exception {
        serve(warm);
        zabbix.onScript = () -> serve(primary);
        RecoveryReport r = recover(runbook("ladder:\n  - action: restart-service\n    script: Restart svc\n    wait: 1s\n  - failover\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.headline()).startsWith("recovered in place by restart-service");
        assertThat(zabbix.scripts).containsExactly("Restart svc@svc-vm");
        assertThat(libvirt.calls).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void theLadderFailsOverWhenThePrimaryStaysDown() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook("ladder:\n  - action: restart-service\n    script: Restart svc\n    wait: 200ms\n"
                + "  - action: reboot-vm\n    wait: 200ms\n  - failover\n"), null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.standby()).isEqualTo("warm");
        assertThat(libvirt.calls).containsSubsequence("reboot svc-vm", "stop svc-vm");
        assertThat(r.steps()).extracting(StepResult::name)
                .containsSubsequence("restart-service", "check-primary", "reboot-vm", "check-primary", "fence", "check", "dns");
    }

    @Test
    void aForcedStandbyIsTheOnlyOneTried() throws Exception {
        serve(warm);
        RecoveryReport r = recover(runbook(""), null, "cold");

        assertThat(r.standby()).isEqualTo("cold");
        assertThat(lxc.calls).contains("start cold");
    }
}
