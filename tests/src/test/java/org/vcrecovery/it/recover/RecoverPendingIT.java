package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.net.URI;
import java.util.Set;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.AckAction;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * {@code vcr recover --pending} (what the actions run) against the real Zabbix and BIND: it takes
 * the event, host and VM from the problems Zabbix has open, never from its command line. A
 * host-down problem whose host a runbook here names is recovered exactly as {@code --event-id
 * --trigger-host} would (DNS switched, event acknowledged, audited); once handled it is no longer
 * pending; a problem another run annotated, or one an operator acknowledged, is left alone; a
 * "vcr: ..." message another Zabbix user typed is not a run's (it neither hides the problem nor
 * makes it held); a VM-down problem is matched by its VM only, never by its (KVM) host.
 */
class RecoverPendingIT {
    private RecoverFixture f;
    private String triggerId;

    @BeforeEach
    void setUp() throws Exception {
        f = RecoverFixture.recordOnPrimary("pnd");
        f.onClose(f.serveHttp(f.address(2)));
        f.createZabbixHost();
        JsonNode t = f.zabbix().call("trigger.get", Map.of("output", List.of("triggerid"),
                "hostids", List.of(f.zabbix().hostByName(f.host).orElseThrow().hostId())));
        triggerId = t.path(0).path("triggerid").asText();
        f.runbookYaml().standby(f.warm()).write();
        f.config();
    }

    @AfterEach
    void tearDown() throws Exception {
        f.resolveProblems();
        f.close();
    }

    private void tag(String... kv) throws Exception {
        List<Map<String, String>> tags = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) tags.add(Map.of("tag", kv[i], "value", kv[i + 1]));
        f.zabbix().call("trigger.update", Map.of("triggerid", triggerId, "tags", tags));
    }

    /**
     * A new problem of the trigger that carries its vcrecovery tag: the server copies the tags it
     * had in its configuration cache, so a problem raised before its next sync has none (then
     * another is raised, the first resolved).
     */
    private String raiseTaggedProblem() throws Exception {
        return org.awaitility.Awaitility.await().atMost(RecoverFixture.DEADLINE).until(() -> {
            String e = f.raiseProblem();
            JsonNode p = f.zabbix().call("problem.get", Map.of("output", List.of("eventid"), "eventids", List.of(e), "selectTags", "extend"));
            for (JsonNode t : p.path(0).path("tags")) if (t.path("tag").asText().equals("vcrecovery")) return e;
            return null;
        }, java.util.Objects::nonNull);
    }

    @Test
    void aHostDownProblemOfAHostARunbookHereNamesIsRecoveredOnceAsTheActionWould() throws Exception {
        tag("vcrecovery", "host-down");
        String event = raiseTaggedProblem();

        VcrRun plan = f.recover("--pending", "--plan");
        assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).startsWith("PLAN ONLY").contains("This run: event " + event);
        assertThat(f.dig()).containsExactly(f.address(1));

        VcrRun r = f.recover("--pending");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": recovered on warm (" + f.address(2) + ")");
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.zabbix().event(event).orElseThrow().acknowledges()).extracting(Acknowledgement::message)
                .singleElement().asString().startsWith("vcr: " + f.service + " recovered on warm");
        assertThat(f.audit()).singleElement().asString().contains("\"event_id\":\"" + event + "\"", "\"result\":\"OK\"");

        VcrRun again = f.recover("--pending");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("no pending vcrecovery problem for the runbooks in " + f.runbooks);
        assertThat(f.audit()).hasSize(1);
    }

    @Test
    void aProblemAVcrRunAnnotatedOrAnOperatorAcknowledgedIsNotPending() throws Exception {
        tag("vcrecovery", "host-down");
        String event = raiseTaggedProblem();
        f.zabbix().acknowledge(event, java.util.Set.of(org.vcrecovery.zabbix.api.AckAction.MESSAGE),
                "vcr: " + f.service + " no standby passed its checks in 20 ms (exit 7 SERVICE_DOWN)");

        VcrRun r = f.recover("--pending");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("no pending vcrecovery problem");
        assertThat(f.dig()).containsExactly(f.address(1));

        String second = raiseTaggedProblem();
        f.zabbix().acknowledge(second, java.util.Set.of(org.vcrecovery.zabbix.api.AckAction.ACKNOWLEDGE), null);
        VcrRun r2 = f.recover("--pending");
        assertThat(r2.out()).startsWith("no pending vcrecovery problem");
        assertThat(f.audit()).isEmpty();
    }

    /**
     * A second Zabbix user, created here, who may acknowledge the fixture's problems (read access
     * to its host group, the default User role): what anyone with a Zabbix login is. Deleted with
     * the fixture.
     */
    private ZabbixApi anotherUser() throws Exception {
        ZabbixApi admin = f.zabbix();
        String name = "pnd-forger-" + f.suffix;
        String password = "Pnd-" + f.suffix + "-x9!";
        String group = admin.hostGroupByName(Sandbox.get().value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        String rights = admin.version().atLeast(6, 2) ? "hostgroup_rights" : "rights";
        String groupId = admin.call("usergroup.create", Map.of("name", name, rights, List.of(Map.of("id", group, "permission", 2))))
                .path("usrgrpids").path(0).asText();
        f.onClose(() -> admin.call("usergroup.delete", List.of(groupId)));
        String userId = admin.call("user.create", Map.of("username", name, "passwd", password, "roleid", "1",
                "usrgrps", List.of(Map.of("usrgrpid", groupId)))).path("userids").path(0).asText();
        f.onClose(() -> admin.call("user.delete", List.of(userId)));
        ZabbixApi forger = ZabbixApi.builder(URI.create(Sandbox.get().value(Sandbox.ZABBIX_API_URL))).login(name, password).build();
        f.onClose(forger);
        return forger;
    }

    @Test
    void aVcrMessageForgedByAnotherZabbixUserNeitherHoldsNorHidesAProblem() throws Exception {
        tag("vcrecovery", "host-down");
        String event = raiseTaggedProblem();
        ZabbixApi forger = anotherUser();
        Set<AckAction> message = Set.of(AckAction.MESSAGE);
        forger.acknowledge(event, message, "vcr: " + f.service + " held: 9 failures in 60 s looks like a partition or a"
                + " monitoring fault; approve from the host menu");
        assertThat(f.zabbix().event(event).orElseThrow().acknowledges()).as("the forged message is in Zabbix")
                .extracting(Acknowledgement::userId).singleElement().isNotEqualTo(f.zabbix().userId());

        VcrRun held = f.vcr("approve", "--held", "--config", f.dir.resolve("vcr.yaml").toString());
        assertThat(held.exit()).as(held.out() + held.err()).isZero();
        assertThat(held.out()).as("a hold vcr did not write is no hold").startsWith("no held vcrecovery recovery")
                .contains("(0 held in Zabbix)");

        forger.acknowledge(event, message, "vcr: " + f.service + " recovered on warm (" + f.address(2) + ") in 40 ms");
        VcrRun r = f.recover("--pending");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).as("a recovery vcr did not write hides nothing")
                .startsWith(f.service + ": recovered on warm (" + f.address(2) + ")");
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.audit()).singleElement().asString().contains("\"event_id\":\"" + event + "\"");
    }

    @Test
    void aVmDownProblemIsMatchedByItsVmNeverByItsKvmHost() throws Exception {
        // The runbook here names the trigger's host, but the problem is about a VM no runbook here has.
        tag("vcrecovery", "vm-down", "vm", "other-vm-" + f.suffix);
        raiseTaggedProblem();

        VcrRun r = f.recover("--pending");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("no pending vcrecovery problem for the runbooks in " + f.runbooks);
        assertThat(f.dig()).containsExactly(f.address(1));
        assertThat(f.audit()).isEmpty();
    }

    @Test
    void servedByVcrServeThePendingLineRunsInTheWarmJvm() throws Exception {
        tag("vcrecovery", "host-down");
        String event = raiseTaggedProblem();
        java.nio.file.Path addressFile = f.dir.resolve("serve.addr");
        java.nio.file.Path log = f.dir.resolve("serve.err");
        Process server = VcrProcess.start(f, Map.of(), f.dir.resolve("serve.out"), log, "serve", "--address-file", addressFile.toString());
        try {
            org.awaitility.Awaitility.await().atMost(RecoverFixture.DEADLINE).until(() -> Files.exists(addressFile));
            VcrProcess.Result r = VcrProcess.run(f, Map.of("VCR_SERVE_FILE", addressFile.toString()), "recover", "--pending");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith(f.service + ": recovered on warm");
            assertThat(Files.readString(log)).contains("vcr serve: vcr recover --pending -> exit 0 in ");
            assertThat(f.audit()).singleElement().asString().contains("\"event_id\":\"" + event + "\"");
        } finally {
            server.destroy();
            server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void pendingTakesNoEventOrHostFromTheCommandLine() {
        VcrRun r = VcrRun.of("recover", "--config", f.dir.resolve("vcr.yaml").toString(), "--pending", "--event-id", "1",
                "--trigger-host", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--pending takes no --runbook, --event-id, --trigger-host");
    }

    /**
     * The Zabbix 7.0 host menu's standby choice ({@code --pending --standby NAME}): the pending
     * problem is recovered on the chosen standby, not the runbook's first; a name no runbook here
     * has changes nothing and leaves the problem pending.
     */
    @Test
    void aChosenStandbyRecoversThePendingProblemOnItAndAnUnknownOneChangesNothing() throws Exception {
        RecoverFixture.Standby spare = new RecoverFixture.Standby("spare", "warm-container", f.address(3));
        f.onClose(f.serveHttp(f.address(3)));
        f.runbookYaml().standby(f.warm()).standby(spare).write();
        tag("vcrecovery", "host-down");
        String event = raiseTaggedProblem();

        VcrRun unknown = f.recover("--pending", "--standby", "spare2");
        assertThat(unknown.exit()).as(unknown.out() + unknown.err()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("vcr: --standby spare2: no runbook in " + f.runbooks + " has that standby (standbys here: spare, warm)");
        assertThat(f.dig()).containsExactly(f.address(1));
        assertThat(f.zabbix().event(event).orElseThrow().acknowledges()).isEmpty();

        VcrRun r = f.recover("--pending", "--standby", "spare");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": recovered on spare (" + f.address(3) + ")");
        assertThat(f.dig()).containsExactly(f.address(3));
        assertThat(f.zabbix().event(event).orElseThrow().acknowledged()).isTrue();
    }
}
