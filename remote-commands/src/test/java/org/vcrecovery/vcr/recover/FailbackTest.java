package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * {@link Failback} against fakes of Zabbix, DNS and the backends, with real sockets on
 * loopback addresses for the primary's service check (a bound socket is a primary that answers).
 */
class FailbackTest {
    @TempDir
    Path state;

    final LoopbackServices services = new LoopbackServices();
    final String primary = services.host(1);
    final String warm = services.host(2);
    final String cold = services.host(3);
    final String vm = services.host(4);
    final int port = services.port;

    final Fakes.Zabbix zabbix = new Fakes.Zabbix();
    final Fakes.Backend lxc = new Fakes.Backend("lxc");
    final Fakes.Backend libvirt = new Fakes.Backend("libvirt");
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    Fakes.Dns dns;
    VcrConfig config;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        libvirt.states.put("svc-vm", StandbyState.RUNNING);
        libvirt.states.put("svc-standby-vm", StandbyState.RUNNING);
        lxc.states.put("warm", StandbyState.RUNNING);
        lxc.states.put("cold", StandbyState.RUNNING);
        config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/api_jsonrpc.php"), Path.of("/t"), null,
                null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, null,
                new VcrConfig.Trapper("127.0.0.1", 10051)), state, state, Duration.ofMinutes(10), null);
    }

    @AfterEach
    void closeSockets() throws IOException {
        services.close();
    }

    void servePrimary() {
        services.serve(primary);
    }

    Runbook runbook() throws Exception {
        return TestRunbook.primary(primary).standby("warm", "warm-container", "lxc", warm, "zabbix-host: recovery-vm")
                .standby("cold", "cold-container", "lxc", cold)
                .standby("svc-standby-vm", "suspended-vm", "libvirt", vm, "options:", "  uri: test:///default")
                .check("tcp", port, "200ms").then("limits:\n  check-timeout: 300ms\n").read();
    }

    RecoveryReport failback(String dnsValue, String event, boolean startPrimary) throws Exception {
        Runbook rb = runbook();
        dns = new Fakes.Dns(rb.dns(), dnsValue);
        return new Failback(rb, config, zabbix, dns, StandbyBackends.of(List.of(Fakes.factory(lxc), Fakes.factory(libvirt))),
                new ServiceChecker(), new PrintWriter(err, true)).run(event, startPrimary,
                (trapper, host, key, value, timeout) -> sent.add(host + " " + key + " " + value));
    }

    static Stream<Arguments> standbys() {
        // standby DNS points at, the backend call expected afterwards (null: none), headline tail
        return Stream.of(
                Arguments.of("warm", null, "; warm standby warm left running"),
                Arguments.of("cold", "stop cold", "; standby stopped"),
                Arguments.of("vm", "suspend svc-standby-vm", "; standby suspended"));
    }

    @ParameterizedTest(name = "from {0}")
    @MethodSource("standbys")
    void aHealthyPrimaryGetsTheRecordBackAndTheStandbyIsPutAwayByItsKind(String from, String call, String tail) throws Exception {
        servePrimary();
        String address = switch (from) {
            case "warm" -> warm;
            case "cold" -> cold;
            default -> vm;
        };
        String name = from.equals("vm") ? "svc-standby-vm" : from;

        RecoveryReport r = failback(address, "2001", false);

        assertThat(r.exitCode()).as(r.summary()).isEqualTo(ExitCode.OK);
        assertThat(r.headline()).isEqualTo("failed back to the primary (" + primary + ") from standby " + name + tail);
        assertThat(dns.values).containsExactly(primary);
        assertThat(r.address()).isEqualTo(primary);
        assertThat(r.standby()).isNull();
        List<String> changes = new ArrayList<>(lxc.calls);
        changes.addAll(libvirt.calls);
        changes.removeIf(c -> c.startsWith("status "));
        if (call == null) assertThat(changes).isEmpty();
        else assertThat(changes).containsExactly(call);
        assertThat(r.steps()).extracting(StepResult::name).startsWith("lock", "dns-read", "primary", "check", "dns")
                .contains("ack", "report");
        assertThat(zabbix.acks).singleElement().asString().startsWith("2001 ack vcr: svc failed back to the primary");
        assertThat(sent).singleElement().asString().startsWith("recovery-vm vcr.recovery.report svc: failed back to the primary");
        assertThat(Files.readString(state.resolve("audit.jsonl"))).contains("\"headline\":\"failed back");
    }

    @Test
    void aPrimaryThatDoesNotAnswerKeepsDnsOnTheStandbyAndExits7() throws Exception {
        RecoveryReport r = failback(warm, null, false);

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(r.headline()).startsWith("not failed back: the primary (" + primary + ") does not answer its checks")
                .endsWith("DNS left on standby warm");
        assertThat(dns.values).containsExactly(warm);
        assertThat(dns.updates).isEmpty();
        assertThat(lxc.calls).doesNotContain("stop warm");
        assertThat(sent).singleElement().asString().contains("svc: not failed back");
    }

    static Stream<Arguments> notRunning() {
        return Stream.of(
                Arguments.of(StandbyState.STOPPED, false, ExitCode.SERVICE_DOWN, "domain svc-vm is stopped"),
                Arguments.of(StandbyState.PAUSED, false, ExitCode.SERVICE_DOWN, "give --start-primary"),
                Arguments.of(StandbyState.ABSENT, true, ExitCode.SERVICE_DOWN, "domain svc-vm does not exist"),
                Arguments.of(StandbyState.STOPPED, true, ExitCode.OK, "failed back to the primary"),
                Arguments.of(StandbyState.PAUSED, true, ExitCode.OK, "failed back to the primary"));
    }

    @ParameterizedTest(name = "{0}, start-primary {1}")
    @MethodSource("notRunning")
    void aPrimaryDomainNotRunningIsRefusedUnlessStartPrimary(StandbyState st, boolean start, ExitCode code, String says)
            throws Exception {
        servePrimary();
        if (st == StandbyState.ABSENT) libvirt.states.remove("svc-vm");
        else libvirt.states.put("svc-vm", st);

        RecoveryReport r = failback(cold, null, start);

        assertThat(r.exitCode()).as(r.summary()).isEqualTo(code);
        assertThat(r.summary()).contains(says);
        if (code == ExitCode.OK) {
            assertThat(libvirt.calls).contains("start svc-vm");
            assertThat(dns.values).containsExactly(primary);
        } else {
            assertThat(libvirt.calls).doesNotContain("start svc-vm");
            assertThat(dns.updates).isEmpty();
            assertThat(lxc.calls).doesNotContain("stop cold");
        }
    }

    @Test
    void dnsAlreadyOnThePrimaryIsOkAndChangesNothing() throws Exception {
        RecoveryReport r = failback(primary, null, false);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.summary()).startsWith("svc: already on the primary (" + primary + ")");
        assertThat(dns.updates).isEmpty();
        assertThat(lxc.calls).isEmpty();
    }

    @Test
    void dnsHoldingSomeoneElsesAddressIsDnsFailedAndNothingChanges() throws Exception {
        servePrimary();
        RecoveryReport r = failback(services.host(99), null, false);

        assertThat(r.exitCode()).isEqualTo(ExitCode.DNS_FAILED);
        assertThat(r.headline()).contains("someone else changed it");
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void aHeldLockIsInProgressAndSendsNoReport() throws Exception {
        try (ServiceLock held = ServiceLock.tryAcquire(state, "svc").orElseThrow()) {
            RecoveryReport r = failback(warm, "2002", false);
            assertThat(r.exitCode()).isEqualTo(ExitCode.IN_PROGRESS);
        }
        assertThat(sent).isEmpty();
        assertThat(zabbix.acks).isEmpty();
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void thePlanNamesEachStandbysFate() throws Exception {
        List<String> plan = Failback.plan(runbook(), false);
        assertThat(String.join("\n", plan)).contains("warm (warm-container): left running", "cold (cold-container): stopped",
                "svc-standby-vm (suspended-vm): suspended again", "exit 7 and touch nothing (--start-primary");
    }
}
