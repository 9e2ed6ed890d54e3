package org.vcrecovery.vcr.hostdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.breaker.FailureWindow;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.recover.ZabbixPort;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookReader;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The host-down orchestration with fakes at its ports: the KVM host's libvirt (a recording
 * backend), the VMs' recoveries (a recording {@link HostDown.VmRunner}), Zabbix (recorded acks);
 * the primaries' ports are real loopback addresses where nothing listens (silent) or a test
 * listens (alive).
 */
class HostDownTest {
    @TempDir
    Path dir;

    /** The host's libvirt: every domain's state; counts the connections opened (one per proof). */
    final Map<String, StandbyState> domains = new ConcurrentHashMap<>();
    final AtomicInteger libvirtOpened = new AtomicInteger();
    volatile boolean libvirtDown;

    /** What each VM run was given (service → proof, "-" for a run of its own), and the runs' behaviour. */
    final Map<String, String> ran = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    final Map<String, Integer> peak = new ConcurrentHashMap<>();
    final Map<String, ExitCode> outcome = new HashMap<>();
    final Map<String, Long> sleep = new HashMap<>();
    final List<String> acks = Collections.synchronizedList(new ArrayList<>());
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    /** Zabbix's answers about the VMs: their hosts in maintenance, hosts it does not know, open vm-down events per domain. */
    final Set<String> vmHostsInMaintenance = ConcurrentHashMap.newKeySet();
    final Set<String> vmHostsUnknown = ConcurrentHashMap.newKeySet();
    final Map<String, List<String>> vmEvents = new ConcurrentHashMap<>();
    volatile boolean vmsRequestFails;
    volatile VcrConfig.MaintenanceUnknown maintenanceUnknown = VcrConfig.MaintenanceUnknown.PROCEED;

    /** VM {@code i}: service vm{i}, domain vm{i}-dom at 127.0.91.{i}, standby on recovery host rh{i % hosts}. */
    Runbook runbook(int i, int hosts) throws Exception {
        String yaml = "service: vm" + i + "\nzabbix-host: vm" + i + "-host\nprimary:\n  uri: test:///default\n  domain: vm" + i
                + "-dom\n  address: 127.0.91." + i + "\n  kvm-host: kvm1\nstandbys:\n  - name: vm" + i
                + "-warm\n    kind: warm-container\n    backend: lxc\n    address: 127.0.92." + i + "\n    zabbix-host: rh" + (i % hosts)
                + "\nchecks:\n  - protocol: tcp\n    port: 18080\n    timeout: 200ms\ndns:\n  server: 127.0.0.1:53\n  tsig: none\n"
                + "  zone: example.test\n  name: vm" + i + "\n";
        domains.put("vm" + i + "-dom", StandbyState.STOPPED);
        return RunbookReader.read(new StringReader(yaml), Path.of("vm" + i + ".yaml"));
    }

    List<Runbook> runbooks(int n, int hosts) throws Exception {
        List<Runbook> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(runbook(i, hosts));
        return out;
    }

    HostDownReport run(List<Runbook> rbs, VcrConfig.HostDown limits, VcrConfig.Breaker breaker, String eventId) {
        VcrConfig.Zabbix z = new VcrConfig.Zabbix(java.net.URI.create("http://127.0.0.1:1/api_jsonrpc.php"), dir.resolve("token"),
                null, null, Duration.ofSeconds(2), maintenanceUnknown, null);
        VcrConfig cfg = new VcrConfig(z, dir, dir.resolve("state"), Duration.ofMinutes(10), null, breaker, limits);
        return new HostDown("kvm1", rbs, cfg, new HostDown.Ports(zabbix(), backends(), new ServiceChecker(), this::vm),
                new PrintWriter(new StringWriter())).run(eventId);
    }

    HostDownReport run(List<Runbook> rbs) {
        return run(rbs, VcrConfig.HostDown.DEFAULT, VcrConfig.Breaker.DEFAULT, "100");
    }

    RecoveryReport vm(Runbook rb, String proof) {
        String host = rb.standbys().get(0).zabbixHost();
        int now = running.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        peak.merge(host, now, Math::max);
        ran.put(rb.service(), proof == null ? "-" : proof);
        order.add(rb.service());
        Instant at = Instant.now();
        try {
            Thread.sleep(sleep.getOrDefault(rb.service(), 30L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.get(host).decrementAndGet();
        ExitCode code = outcome.getOrDefault(rb.service(), ExitCode.OK);
        if (code == ExitCode.FAILED) throw new IllegalStateException("backend exploded");
        return new RecoveryReport(rb.service(), null, null, code, code == ExitCode.OK ? "recovered on " + rb.service() + "-warm"
                : "no standby passed its checks", code == ExitCode.OK ? rb.service() + "-warm" : null, null, at, 30,
                List.of(new StepResult("dns", StepResult.Outcome.OK, at, 1, "switched")), List.of());
    }

    ZabbixPort zabbix() {
        return new ZabbixPort() {
            @Override
            public boolean inMaintenance(String host, String eventId) {
                return false;
            }

            @Override
            public boolean problemResolved(String eventId) {
                return false;
            }

            @Override
            public VmAnswers vms(java.util.Collection<String> hosts, java.util.Collection<String> vms) throws IOException {
                if (vmsRequestFails) throw new IOException("TIMEOUT: host.get+maintenance.get+problem.get: no answer within 2000 ms");
                Map<String, Boolean> m = new HashMap<>();
                for (String h : hosts) if (!vmHostsUnknown.contains(h)) m.put(h, vmHostsInMaintenance.contains(h));
                Map<String, List<String>> ev = new HashMap<>(vmEvents);
                ev.keySet().retainAll(vms);
                return new VmAnswers(m, null, ev, null);
            }

            @Override
            public void acknowledge(String eventId, String message, boolean acknowledge) {
                acks.add(eventId + (acknowledge ? " ack " : " msg ") + message);
            }

            @Override
            public String runScript(String script, String host) {
                throw new AssertionError("no script runs in a host-down");
            }

            @Override
            public void close() {}
        };
    }

    StandbyBackends backends() {
        StandbyBackend libvirt = new StandbyBackend() {
            public String name() {
                return "libvirt";
            }

            public StandbyState status(String target) {
                return domains.getOrDefault(target, StandbyState.ABSENT);
            }

            public void start(String target, Duration timeout) {
                throw new AssertionError("the proof only reads");
            }

            public void stop(String target, Duration timeout) {
                throw new AssertionError("the proof only reads");
            }

            public Optional<String> address(String target) {
                return Optional.empty();
            }

            public List<StandbyInfo> list() {
                List<StandbyInfo> out = new ArrayList<>();
                domains.forEach((n, s) -> out.add(new StandbyInfo(n, s, Optional.empty())));
                return out;
            }

            public void close() {}
        };
        StandbyBackendFactory f = new StandbyBackendFactory() {
            public String name() {
                return "libvirt";
            }

            public StandbyBackend create(Map<String, String> config) {
                libvirtOpened.incrementAndGet();
                if (libvirtDown) throw new org.vcrecovery.vcr.standby.StandbyException(
                        org.vcrecovery.vcr.standby.StandbyException.Code.UNREACHABLE, "cannot connect to kvm1");
                return libvirt;
            }

            public Set<String> configKeys() {
                return Set.of("uri");
            }

            public Set<Guest> guests() {
                return Set.of(Guest.VM);
            }
        };
        return StandbyBackends.of(List.of(f));
    }

    @Test
    void everyVmOfTheDeadHostIsRecoveredWithTheOneProofAndTheEventGetsOneSummary() throws Exception {
        HostDownReport r = run(runbooks(12, 3));

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.count(true)).isEqualTo(12);
        assertThat(libvirtOpened).hasValue(1);
        assertThat(ran).hasSize(12);
        assertThat(ran.values()).allMatch(p -> p.startsWith("KVM host kvm1 proven dead once: domain ") && p.contains("stopped"));
        assertThat(acks).hasSize(1);
        assertThat(acks.get(0)).startsWith("100 ack vcr: host-down kvm1: 12 of 12 VMs recovered in ").contains("vm7 ok vm7-warm");
        assertThat(r.lines()).hasSize(13);
        assertThat(r.toJson()).contains("\"kvm_host\":\"kvm1\"", "\"recovered\":12", "\"vms\":[{\"service\":\"vm1\"");
    }

    @Test
    void aLibvirtThatDoesNotAnswerWithEveryPortSilentProvesTheHostDead() throws Exception {
        libvirtDown = true;
        HostDownReport r = run(runbooks(3, 1));

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(ran.values()).allMatch(p -> p.contains("its libvirt does not answer (cannot connect to kvm1), ports silent"));
    }

    @Test
    void concurrencyStaysWithinTheLimitPerStandbyHostAndInAll() throws Exception {
        HostDownReport r = run(runbooks(24, 3), new VcrConfig.HostDown(5, 2, 16, 16), VcrConfig.Breaker.DEFAULT, "100");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(peak.values()).allMatch(p -> p <= 2);
        assertThat(peak.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(3); // in parallel, not one by one
        assertThat(r.peaks()).containsEntry("standby-host rh0", 2).containsEntry("zone 127.0.0.1:53/example.test", 5);
    }

    @Test
    void standbysThatMustStartGoFirstSoTheWarmOnesFillInBesideThem() throws Exception {
        List<Runbook> rbs = new ArrayList<>(runbooks(3, 1));
        String cold = rbs.get(2).source() == null ? null : "vm3";
        Runbook rb3 = rbs.get(2);
        Runbook.Standby s = rb3.standbys().get(0);
        rbs.set(2, new Runbook(rb3.service(), rb3.zabbixHost(), rb3.primary(), List.of(new Runbook.Standby(s.name(),
                Runbook.StandbyKind.COLD_CONTAINER, s.backend(), s.options(), s.target(), s.address(), s.port(), s.zabbixHost())),
                rb3.checks(), rb3.dns(), rb3.fencing(), rb3.ladder(), rb3.limits(), rb3.source()));
        HostDownReport r = run(rbs, new VcrConfig.HostDown(1, 1, 1, 1), VcrConfig.Breaker.DEFAULT, "100");

        assertThat(order).containsExactly(cold, "vm1", "vm2");
        assertThat(r.vms()).extracting(RecoveryReport::service).containsExactly("vm1", "vm2", "vm3");
    }

    @Test
    void aVmThatFailsOrThrowsHoldsBackNoOtherAndTheRunIsPartial() throws Exception {
        outcome.put("vm2", ExitCode.SERVICE_DOWN);
        outcome.put("vm3", ExitCode.FAILED);
        sleep.put("vm2", 600L);
        HostDownReport r = run(runbooks(6, 2));

        assertThat(r.exitCode()).isEqualTo(ExitCode.PARTIAL);
        assertThat(r.exitCode().code()).isEqualTo(19);
        assertThat(r.count(true)).isEqualTo(4);
        assertThat(r.lines()).anyMatch(l -> l.startsWith("vm3: not recovered: backend exploded"));
        assertThat(r.host().headline()).isEqualTo("host-down kvm1: 4 of 6 VMs recovered, 2 not");
        assertThat(r.toJson()).contains("\"recovered\":4,\"not_recovered\":2,\"left_alone\":0");
        RecoveryReport vm2 = r.vms().get(1);
        for (RecoveryReport other : List.of(r.vms().get(0), r.vms().get(3))) {
            assertThat(other.started().plusMillis(other.millis())).isBefore(vm2.started().plusMillis(500));
        }
        assertThat(acks.get(0)).startsWith("100 msg vcr: ").contains("vm2 service_down", "vm3 failed");
    }

    @Test
    void aVmWhoseServiceAnswersIsLeftAloneAndOneStillRunningGetsItsOwnFence() throws Exception {
        List<Runbook> rbs = runbooks(3, 1);
        domains.put("vm3-dom", StandbyState.RUNNING);
        try (ServerSocket alive = new ServerSocket()) {
            alive.bind(new InetSocketAddress(InetAddress.getByName("127.0.91.1"), 18080));
            HostDownReport r = run(rbs);

            assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(ran).doesNotContainKey("vm1").containsEntry("vm3", "-");
            assertThat(ran.get("vm2")).startsWith("KVM host kvm1 proven dead once");
            assertThat(r.vms().get(0).exitCode()).isEqualTo(ExitCode.PRIMARY_HEALTHY);
            assertThat(r.host().headline()).isEqualTo("host-down kvm1: 2 of 2 VMs recovered, 1 answering left alone");
        }
    }

    @Test
    void aHostWhoseServicesAllAnswerIsHealthyAndNothingIsTouched() throws Exception {
        try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket()) {
            a.bind(new InetSocketAddress(InetAddress.getByName("127.0.91.1"), 18080));
            b.bind(new InetSocketAddress(InetAddress.getByName("127.0.91.2"), 18080));
            HostDownReport r = run(runbooks(2, 1));

            assertThat(r.exitCode()).isEqualTo(ExitCode.PRIMARY_HEALTHY);
            assertThat(ran).isEmpty();
        }
    }

    @Test
    void theHostCountsOnceInTheBreakerWhateverItsVmCount() throws Exception {
        HostDownReport r = run(runbooks(20, 4), VcrConfig.HostDown.DEFAULT, new VcrConfig.Breaker(2, Duration.ofSeconds(60)), "100");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(new FailureWindow(dir.resolve("state")).failures(new VcrConfig.Breaker(2, Duration.ofSeconds(60)),
                DedupLog.Now.system())).isEqualTo(1);
    }

    @Test
    void theBreakerHoldsTheWholeHostWhenOtherFailuresFilledTheWindow() throws Exception {
        VcrConfig.Breaker b = new VcrConfig.Breaker(2, Duration.ofSeconds(60));
        FailureWindow w = new FailureWindow(dir.resolve("state"));
        w.admit("a", "1", false, b, DedupLog.Now.system());
        w.admit("b", "2", false, b, DedupLog.Now.system());
        HostDownReport r = run(runbooks(5, 1), VcrConfig.HostDown.DEFAULT, b, "100");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HELD);
        assertThat(r.host().headline()).contains("looks like a partition or a monitoring fault", "vcr approve --host kvm1");
        assertThat(ran).isEmpty();
        assertThat(acks).singleElement().asString().startsWith("100 msg vcr: host-down.kvm1 held: ");
    }

    @Test
    void theKillSwitchStopsAnAutomaticHostDownButNotOneByHand() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/disabled"), "storm drill\n");
        List<Runbook> rbs = runbooks(3, 1);
        HostDownReport held = run(rbs);

        assertThat(held.exitCode()).isEqualTo(ExitCode.HELD);
        assertThat(held.host().headline()).contains("automatic recovery is switched off", "storm drill");
        assertThat(ran).isEmpty();

        HostDownReport byHand = run(rbs, VcrConfig.HostDown.DEFAULT, VcrConfig.Breaker.DEFAULT, null);
        assertThat(byHand.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(ran).hasSize(3);
    }

    @Test
    void theSameHostEventTwiceIsADuplicateOnceRecovered() throws Exception {
        List<Runbook> rbs = runbooks(2, 1);
        assertThat(run(rbs).exitCode()).isEqualTo(ExitCode.OK);
        ran.clear();

        assertThat(run(rbs).exitCode()).isEqualTo(ExitCode.DUPLICATE);
        assertThat(ran).isEmpty();
    }

    @Test
    void aSecondHostDownOfTheSameHostWaitsForNoneAndSaysWhoHoldsIt() throws IOException, Exception {
        List<Runbook> rbs = runbooks(2, 1);
        try (var held = org.vcrecovery.vcr.recover.ServiceLock.tryAcquire(dir.resolve("state"), "host-down.kvm1").orElseThrow()) {
            HostDownReport r = run(rbs);
            assertThat(r.exitCode()).isEqualTo(ExitCode.IN_PROGRESS);
            assertThat(r.host().headline()).startsWith("host-down kvm1 already in progress, held by");
        }
        assertThat(ran).isEmpty();
    }

    @Test
    void aVmWhoseOwnZabbixHostIsInMaintenanceIsLeftAloneAndDoesNotCountAsNotRecovered() throws Exception {
        vmHostsInMaintenance.add("vm2-host");
        HostDownReport r = run(runbooks(3, 1));

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(ran).containsOnlyKeys("vm1", "vm3");
        assertThat(r.vms().get(1).exitCode()).isEqualTo(ExitCode.IN_MAINTENANCE);
        assertThat(r.lines()).anyMatch(l -> l.startsWith("vm2: left alone: host vm2-host is in maintenance"));
        assertThat(r.host().headline()).isEqualTo("host-down kvm1: 2 of 2 VMs recovered, 1 in maintenance left alone");
        assertThat(r.toJson()).contains("\"recovered\":2,\"not_recovered\":0,\"left_alone\":1");
        assertThat(r.host().steps()).anyMatch(s -> s.name().equals("vms") && s.detail().startsWith("1 of 3 VMs in maintenance (vm2)"));
        assertThat(acks).singleElement().asString().startsWith("100 ack ").contains("vm2 in_maintenance");
    }

    @Test
    void aVmWhoseMaintenanceCannotBeToldIsRecoveredWithANoteOrRefusedWhenThePolicySaysSo() throws Exception {
        vmHostsUnknown.add("vm1-host");
        HostDownReport proceed = run(runbooks(2, 1));

        assertThat(proceed.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(ran).containsOnlyKeys("vm1", "vm2");
        assertThat(proceed.host().notes()).contains("maintenance of 1 VM unknown (no Zabbix host named vm1-host): recovered anyway");

        ran.clear();
        maintenanceUnknown = VcrConfig.MaintenanceUnknown.REFUSE;
        HostDownReport refuse = run(runbooks(2, 1), VcrConfig.HostDown.DEFAULT, VcrConfig.Breaker.DEFAULT, null);

        assertThat(refuse.exitCode()).isEqualTo(ExitCode.PARTIAL);
        assertThat(ran).containsOnlyKeys("vm2");
        assertThat(refuse.vms().get(0).headline()).isEqualTo("not recovered: cannot tell whether vm1-host is in maintenance"
                + " (no Zabbix host named vm1-host); maintenance-unknown is refuse");
    }

    @Test
    void aVmsOwnOpenEventGetsItsOwnStepsAndIsThenADuplicateForItsOwnAction() throws Exception {
        vmEvents.put("vm2-dom", List.of("201"));
        outcome.put("vm3", ExitCode.SERVICE_DOWN);
        vmEvents.put("vm3-dom", List.of("301"));
        HostDownReport r = run(runbooks(3, 1));

        assertThat(acks).hasSize(3);
        assertThat(acks).anyMatch(a -> a.startsWith("201 ack vcr: vm2 recovered on vm2-warm in 30 ms (exit 0 OK)\ndns ok"));
        assertThat(acks).anyMatch(a -> a.startsWith("301 msg vcr: vm3 no standby passed its checks"));
        assertThat(acks.get(2)).startsWith("100 msg vcr: host-down kvm1: 2 of 3 VMs recovered, 1 not");
        assertThat(r.vms().get(1).notes()).contains("its event 201 acknowledged");
        assertThat(new DedupLog(dir.resolve("state"), "vm2").duplicate("201", Duration.ofMinutes(10), Instant.now())).isPresent();
        assertThat(new DedupLog(dir.resolve("state"), "vm3").duplicate("301", Duration.ofMinutes(10), Instant.now())).isEmpty();
    }

    @Test
    void whenTheVmsQuestionFailsTheirMaintenanceIsUnknownForAllAndThePolicyDecides() throws Exception {
        vmsRequestFails = true;
        HostDownReport proceed = run(runbooks(2, 1));

        assertThat(proceed.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(ran).containsOnlyKeys("vm1", "vm2");
        assertThat(proceed.host().steps()).anyMatch(s -> s.name().equals("vms") && !s.ok());
        assertThat(proceed.host().notes()).anyMatch(n -> n.startsWith("maintenance of 2 VMs unknown (Zabbix: TIMEOUT: ")
                && n.endsWith("): recovered anyway"));

        ran.clear();
        maintenanceUnknown = VcrConfig.MaintenanceUnknown.REFUSE;
        HostDownReport refuse = run(runbooks(2, 1), VcrConfig.HostDown.DEFAULT, VcrConfig.Breaker.DEFAULT, null);

        assertThat(refuse.exitCode()).isEqualTo(ExitCode.PARTIAL);
        assertThat(ran).as("nothing recovered whose maintenance cannot be told").isEmpty();
        assertThat(refuse.vms()).allMatch(v -> v.exitCode() == ExitCode.UNREACHABLE);
    }
}
