package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;

/**
 * The circuit breaker against the real parts: three services, each a running test-driver domain
 * on the sandbox's libvirtd whose service is silent (as a partition makes it look from the
 * standby host), a warm LXC standby, a record in BIND and a real Zabbix problem. With
 * {@code breaker: {limit: 1}} their three recoveries, started at once, recover exactly one; the
 * two others are held (exit 15): their domains still run, their records are unchanged, their
 * events say "held: ...". After {@code vcr approve --service} one of them, its rerun recovers it
 * while the other is held again. With the Zabbix global macro {$VCR.AUTO} at 0 every automatic
 * run is held and says so, while a run by hand still recovers. And from the host menu: the real
 * server runs "approve held recovery" ({@code vcr approve --held}) on the recovery VM's real agent
 * (the shipped snippet), which approves and recovers exactly the held service whose runbook is on
 * that VM, while a service held elsewhere stays held.
 */
class RecoverBreakerIT {
    private final List<RecoverFixture> fixtures = new ArrayList<>();
    private final List<String> services = new ArrayList<>();
    private final List<String> domains = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private Connect libvirt;
    private RecoverFixture main;

    @BeforeEach
    void setUp() throws Exception {
        for (int i = 0; i < 3; i++) fixtures.add(new RecoverFixture("rbk"));
        main = fixtures.get(0);
        String uri = main.sandbox.value(Sandbox.LIBVIRT_URI);
        libvirt = new Connect(uri);
        for (RecoverFixture f : fixtures) {
            String domain = f.testDomain(libvirt, "rbk-primary-" + f.suffix, true);
            String warm = "rbk-warm-" + f.suffix;
            f.lxcContainer(true, warm, f.address(2));
            f.dnsSet(f.address(1));
            f.createZabbixHost();
            main.runbook(f.service, f.runbookYaml().primaryVm(uri, domain)
                    .standby(new RecoverFixture.Standby(warm, "warm-container", f.address(2)).lxcpath(f.lxcpath()))
                    .checkTimeout("500ms").then("fencing:\n  mode: destroy\n").yaml());
            services.add(f.service);
            domains.add(domain);
        }
        main.config(main.sandbox.value(Sandbox.ZABBIX_API_URL), "breaker:\n  limit: 1\n  window: 60s\n");
        for (RecoverFixture f : fixtures) events.add(f.raiseProblem());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RecoverFixture f : fixtures) f.close();
        if (libvirt != null) libvirt.close();
    }

    private VcrRun recover(int i) {
        RecoverFixture f = fixtures.get(i);
        return main.recover("--event-id", events.get(i), "--trigger-host", f.host, "--runbook", services.get(i));
    }

    private void assertHeld(int i, VcrRun r, int failures) throws Exception {
        RecoverFixture f = fixtures.get(i);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(15);
        assertThat(r.out()).startsWith(services.get(i) + ": held: " + failures + " failures in 60 s looks like a partition"
                + " or a monitoring fault; approve from the host menu or with `vcr approve --service " + services.get(i) + "`");
        assertThat(libvirt.domainLookupByName(domains.get(i)).isActive()).as("domain not destroyed").isEqualTo(1);
        assertThat(f.dig()).as("DNS unchanged").containsExactly(f.address(1));
        Event e = f.zabbix().event(events.get(i)).orElseThrow();
        assertThat(e.acknowledged()).as("left for a human").isFalse();
        assertThat(e.acknowledges()).extracting(Acknowledgement::message).anySatisfy(m -> assertThat(m)
                .startsWith("vcr: " + services.get(i) + " held: " + failures + " failures in 60 s")
                .contains("(exit 15 HELD)", "\nbreaker failed ")
                .doesNotContain("\nfence ", "\ncheck ", "\ndns "));
    }

    private void assertRecovered(int i, VcrRun r) throws Exception {
        RecoverFixture f = fixtures.get(i);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(libvirt.domainLookupByName(domains.get(i)).isActive()).as("primary fenced").isZero();
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.zabbix().event(events.get(i)).orElseThrow().acknowledged()).isTrue();
    }

    @Test
    void threeFailuresAtOnceRecoverOneHoldTheOthersAndAnApprovalRecoversExactlyTheApprovedOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<VcrRun> runs = new ArrayList<>();
        try {
            List<Future<VcrRun>> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                started.add(pool.submit(() -> recover(n)));
            }
            for (Future<VcrRun> s : started) runs.add(s.get(2, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }
        List<Integer> held = new ArrayList<>();
        int recovered = -1;
        for (int i = 0; i < 3; i++) {
            if (runs.get(i).exit() == 0) {
                assertThat(recovered).as("only one recovered: " + runs).isEqualTo(-1);
                recovered = i;
            } else {
                held.add(i);
            }
        }
        assertThat(recovered).as("one recovered: " + runs).isNotEqualTo(-1);
        assertRecovered(recovered, runs.get(recovered));
        // the first held saw one failure before its own, the second two
        VcrRun a = runs.get(held.get(0));
        VcrRun b = runs.get(held.get(1));
        int aCount = a.out().contains(" held: 2 failures") ? 2 : 3;
        assertHeld(held.get(0), a, aCount);
        assertHeld(held.get(1), b, 5 - aCount);

        int approved = held.get(1);
        int other = held.get(0);
        VcrRun approve = main.vcr("approve", "--config", main.dir.resolve("vcr.yaml").toString(), "--service", services.get(approved));
        assertThat(approve.exit()).as(approve.out() + approve.err()).isZero();
        assertThat(approve.out()).startsWith("approved service " + services.get(approved) + " until ");

        assertHeld(other, recover(other), 3);
        assertRecovered(approved, recover(approved));
        assertThat(libvirt.domainLookupByName(domains.get(other)).isActive()).as("the unapproved one untouched").isEqualTo(1);
        assertThat(fixtures.get(other).dig()).containsExactly(fixtures.get(other).address(1));
    }

    @Test
    void theGlobalMacroAtZeroHoldsAnAutomaticRunWhileARunByHandStillRecovers() throws Exception {
        var api = main.zabbix();
        for (var m : api.call("usermacro.get", java.util.Map.of("globalmacro", true, "filter",
                java.util.Map.of("macro", "{$VCR.AUTO}")))) {
            api.call("usermacro.deleteglobal", List.of(m.path("globalmacroid").asText()));
        }
        String id = api.call("usermacro.createglobal", java.util.Map.of("macro", "{$VCR.AUTO}", "value", "0"))
                .path("globalmacroids").get(0).asText();
        try {
            RecoverFixture f = fixtures.get(0);
            VcrRun r = recover(0);
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(15);
            assertThat(r.out()).startsWith(services.get(0) + ": held: automatic recovery is switched off (Zabbix global macro"
                    + " {$VCR.AUTO} = 0); run by hand or approve");
            assertThat(libvirt.domainLookupByName(domains.get(0)).isActive()).isEqualTo(1);
            assertThat(f.dig()).containsExactly(f.address(1));
            assertThat(f.zabbix().event(events.get(0)).orElseThrow().acknowledges()).extracting(Acknowledgement::message)
                    .singleElement().asString().contains("switched off (Zabbix global macro {$VCR.AUTO} = 0)");

            VcrRun byHand = main.recover("--runbook", services.get(0));
            assertThat(byHand.exit()).as(byHand.out() + byHand.err()).isZero();
            assertThat(f.dig()).containsExactly(f.address(2));
        } finally {
            api.call("usermacro.deleteglobal", List.of(id));
        }
    }

    /** Tags fixture {@code i}'s trigger as a host-down recovery and raises a problem that carries the tag; returns its event. */
    private String raiseTagged(int i) throws Exception {
        RecoverFixture f = fixtures.get(i);
        var api = f.zabbix();
        String triggerId = api.call("trigger.get", java.util.Map.of("output", List.of("triggerid"),
                "hostids", List.of(api.hostByName(f.host).orElseThrow().hostId()))).path(0).path("triggerid").asText();
        api.call("trigger.update", java.util.Map.of("triggerid", triggerId, "tags",
                List.of(java.util.Map.of("tag", "vcrecovery", "value", "host-down"))));
        return org.awaitility.Awaitility.await().atMost(RecoverFixture.DEADLINE).until(() -> {
            String e = f.raiseProblem();
            var p = api.call("problem.get", java.util.Map.of("output", List.of("eventid"), "eventids", List.of(e), "selectTags", "extend"));
            for (var t : p.path(0).path("tags")) if (t.path("tag").asText().equals("vcrecovery")) return e;
            return null;
        }, java.util.Objects::nonNull);
    }

    @org.junit.jupiter.api.Test
    void theApproveMenuScriptOnTheRecoveryVmsAgentRecoversExactlyTheServiceHeldThere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        for (int i = 0; i < 3; i++) events.set(i, raiseTagged(i));
        VcrRun first = recover(0);
        assertRecovered(0, first);
        assertHeld(1, recover(1), 2);
        assertHeld(2, recover(2), 3);

        // The recovery VM the menu is opened on holds the runbook of service 1 only; same state directory.
        java.nio.file.Path here = java.nio.file.Files.createDirectories(dir.resolve("runbooks"));
        java.nio.file.Files.copy(main.runbooks.resolve(services.get(1) + ".yaml"), here.resolve(services.get(1) + ".yaml"));
        java.nio.file.Path cfg = java.nio.file.Files.writeString(dir.resolve("vcr.yaml"),
                java.nio.file.Files.readString(main.dir.resolve("vcr.yaml")).replace("runbooks: " + main.runbooks, "runbooks: " + here));
        // vcr as the agent runs it: the snippet's exact line, here a launcher that runs this build's vcr with that config
        java.nio.file.Path vcr = java.nio.file.Files.createDirectories(dir.resolve("bin")).resolve("vcr");
        java.nio.file.Files.writeString(vcr, "#!/bin/sh\nVCR_CONFIG=" + cfg + " exec " + java.nio.file.Path.of(System.getProperty("java.home"),
                "bin", "java") + " -cp '" + System.getProperty("java.class.path") + "' org.vcrecovery.vcr.Vcr \"$@\"\n");
        java.nio.file.Files.setPosixFilePermissions(vcr, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        org.vcrecovery.it.agent.AgentDaemon.Flavour flavour = org.vcrecovery.it.agent.AgentDaemon.Flavour.AGENTD;
        java.nio.file.Path snippet = java.nio.file.Files.writeString(dir.resolve("vcrecovery.conf"),
                java.nio.file.Files.readString(flavour.snippet()).replace("/opt/vcrecovery/bin/vcr", vcr.toString()));
        var api = main.zabbix();
        try (var agent = org.vcrecovery.it.agent.AgentDaemon.start(flavour, dir, snippet)) {
            String group = api.hostGroupByName(main.sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
            String hostId = api.createHost("rbk-recovery-vm-" + main.suffix, List.of(group),
                    List.of(org.vcrecovery.zabbix.api.HostInterface.agent("127.0.0.1", agent.port)), List.of());
            main.onClose(() -> api.deleteHosts(List.of(hostId)));
            String scriptId = api.call("script.create", java.util.Map.of("name", "vcrecovery: approve held recovery IT " + main.suffix,
                    "type", 0, "scope", 2, "execute_on", 0, "command", vcr + " approve --held", "groupid", 0, "host_access", 3,
                    "confirmation", "Approve automatic recovery of held failures on {HOST.NAME}?")).path("scriptids").path(0).asText();
            main.onClose(() -> api.call("script.delete", List.of(scriptId)));
            Sandbox s = main.sandbox;
            String[] value = new String[1];
            try (var user = org.vcrecovery.zabbix.api.ZabbixApi.builder(java.net.URI.create(s.value(Sandbox.ZABBIX_API_URL)))
                    .loginWithPasswordFile(s.value(Sandbox.ZABBIX_USER), s.path(Sandbox.ZABBIX_PASSWORD_FILE)).build()) {
                // Until the server's next configuration sync it answers "Unknown host identifier".
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(500))
                        .ignoreExceptionsInstanceOf(org.vcrecovery.zabbix.api.ZabbixApiException.class).until(() -> {
                    var r = user.executeScript(scriptId, hostId);
                    value[0] = r.value();
                    return r.success();
                });
            }
            assertThat(value[0]).as("what the menu shows").startsWith("approved service " + services.get(1) + " (held event " + events.get(1))
                    .contains("\n" + services.get(1) + ": recovered");
            assertThat(agent.executed()).containsExactly(vcr + " approve --held");
        }
        RecoverFixture f1 = fixtures.get(1);
        assertThat(libvirt.domainLookupByName(domains.get(1)).isActive()).as("primary fenced").isZero();
        assertThat(f1.dig()).containsExactly(f1.address(2));
        assertThat(f1.zabbix().event(events.get(1)).orElseThrow().acknowledged()).isTrue();
        // service 2, held on another VM, untouched and still held
        RecoverFixture f2 = fixtures.get(2);
        assertThat(libvirt.domainLookupByName(domains.get(2)).isActive()).as("the one held elsewhere untouched").isEqualTo(1);
        assertThat(f2.dig()).containsExactly(f2.address(1));
        assertThat(f2.zabbix().event(events.get(2)).orElseThrow().acknowledged()).isFalse();
        assertHeld(2, recover(2), 3); // the window counts services: service 2 is counted once
    }
}
