package org.vcrecovery.it.zabbix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.AckAction;
import org.vcrecovery.zabbix.api.Acknowledgement;
import org.vcrecovery.zabbix.api.Event;
import org.vcrecovery.zabbix.api.Host;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.HistoryValue;
import org.vcrecovery.zabbix.api.Problem;
import org.vcrecovery.zabbix.api.ValueType;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;
import org.vcrecovery.zabbix.sender.SenderResult;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * The API client and the sender against the sandbox's real Zabbix (7.0, or 6.0): version detection, token
 * and password logins, values sent over the trapper protocol read back with history.get, a
 * trigger's problem acknowledged and closed, maintenance detection. Everything created is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZabbixClientIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Sandbox sandbox = Sandbox.get();
    private final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final String hostName = "zclient-it-" + suffix;
    private final String ip = "127.0.77." + (1 + ThreadLocalRandom.current().nextInt(250));
    private final List<String> maintenances = new ArrayList<>();
    private ZabbixApi zabbix;
    private ZabbixSender sender;
    private String hostId;

    @BeforeAll
    void createHost() throws Exception {
        zabbix = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .tokenFile(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
        sender = ZabbixSender.builder().server(sandbox.address(Sandbox.ZABBIX_TRAPPER))
                .readTimeout(Duration.ofSeconds(10)).build();
        String groupId = zabbix.hostGroupByName(sandbox.value("ZABBIX_HOSTGROUP")).orElseThrow().groupId();
        hostId = zabbix.createHost(hostName, List.of(groupId), List.of(HostInterface.agent(ip, 10050)), List.of());
    }

    @AfterAll
    void deleteEverything() throws Exception {
        if (zabbix == null) return;
        zabbix.deleteMaintenances(maintenances);
        if (hostId != null) zabbix.deleteHosts(List.of(hostId)); // takes its items, triggers and problems along
        zabbix.close();
    }

    @Test
    void theServerVersionIsDetectedAsTheOneTheSandboxRuns() throws Exception {
        String[] expected = sandbox.value(Sandbox.ZABBIX_VERSION).split("\\.");   // 7.0, or 6.0 (tests/env/up --zabbix)
        assertThat(zabbix.version().major()).isEqualTo(Integer.parseInt(expected[0]));
        assertThat(zabbix.version().minor()).isEqualTo(Integer.parseInt(expected[1]));
    }

    @Test
    void tokenAndPasswordLoginsBothSeeTheHostAndAWrongPasswordIsAnAuthFailure() throws Exception {
        URI api = URI.create(sandbox.value(Sandbox.ZABBIX_API_URL));
        try (ZabbixApi byPassword = ZabbixApi.builder(api)
                .loginWithPasswordFile(sandbox.value(Sandbox.ZABBIX_USER), sandbox.path(Sandbox.ZABBIX_PASSWORD_FILE)).build()) {
            Host viaPassword = byPassword.hostByName(hostName).orElseThrow();
            Host viaToken = zabbix.hostByName(hostName).orElseThrow();
            assertThat(viaPassword).isEqualTo(viaToken);
            assertThat(viaToken.interfaces()).extracting(HostInterface::ip).containsExactly(ip);
            assertThat(zabbix.hostsByIp(ip)).extracting(Host::host).contains(hostName);
        }
        ZabbixApi wrong = ZabbixApi.builder(api).login(sandbox.value(Sandbox.ZABBIX_USER), "wrong-" + suffix)
                .readRetries(0).build();
        assertThatThrownBy(() -> wrong.hostByName(hostName))
                .isInstanceOfSatisfying(ZabbixApiException.class,
                        e -> assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.AUTH_FAILED))
                .hasMessageContaining("user.login")
                .hasMessageNotContaining("wrong-" + suffix);
    }

    @Test
    void valuesSentWithTheSenderAreStoredAndReadBackWithHistoryGet() throws Exception {
        String key = "zclient.history";
        String itemId = zabbix.createTrapperItem(hostId, "history probe", key, ValueType.UNSIGNED);
        awaitTrapperAccepts(key);

        long now = Instant.now().getEpochSecond() - 100; // a second the probe values cannot share
        SenderResult r = sender.send(List.of(
                new SenderValue(hostName, key, "11", now, 1),
                new SenderValue(hostName, key, "12", now, 2),
                new SenderValue(hostName, key, "13", now, 3),
                new SenderValue(hostName, "no.such.key", "1")));
        assertThat(r.success()).isTrue();
        assertThat(r.processed()).isEqualTo(3);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.total()).isEqualTo(4);

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(zabbix.history(itemId, ValueType.UNSIGNED, 10))
                        .filteredOn(v -> v.clock() == now)
                        .extracting(HistoryValue::value, HistoryValue::ns)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("13", 3),
                                org.assertj.core.groups.Tuple.tuple("12", 2), org.assertj.core.groups.Tuple.tuple("11", 1)));
        assertThat(sender.send(List.of(new SenderValue(hostName, key, "14"))).processed()).isEqualTo(1);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(zabbix.itemByKey(hostName, key).orElseThrow().lastValue()).isEqualTo("14"));
    }

    @Test
    void aTriggeredProblemIsAcknowledgedWithAMessageAndClosed() throws Exception {
        String key = "zclient.trigger";
        zabbix.createTrapperItem(hostId, "trigger probe", key, ValueType.UNSIGNED);
        String triggerId = zabbix.createTrigger("zclient " + suffix + " value high", "last(/" + hostName + "/" + key + ")>100",
                3, true);
        awaitTrapperAccepts(key);

        // the trigger may reach the server's configuration cache a sync after the item: resend until it fires
        Problem problem = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(sender.send(List.of(new SenderValue(hostName, key, "500"))).processed()).isEqualTo(1);
            return zabbix.problemsOfTrigger(triggerId);
        }, list -> !list.isEmpty()).get(0);
        assertThat(problem.name()).isEqualTo("zclient " + suffix + " value high");
        assertThat(problem.acknowledged()).isFalse();
        assertThat(problem.suppressed()).isFalse();
        assertThat(zabbix.inMaintenance(hostName, problem.eventId())).isFalse();

        String message = "vcr: recovered on standby lxc-" + suffix + " in 812 ms";
        zabbix.acknowledge(problem.eventId(), message, false);
        Event event = zabbix.event(problem.eventId()).orElseThrow();
        assertThat(event.acknowledged()).isTrue();
        assertThat(event.hostIds()).containsExactly(hostId);
        assertThat(event.acknowledges()).extracting(Acknowledgement::message).containsExactly(message);
        assertThat(event.acknowledges().get(0).has(AckAction.MESSAGE)).isTrue();
        assertThat(event.acknowledges().get(0).has(AckAction.ACKNOWLEDGE)).isTrue();

        zabbix.acknowledge(problem.eventId(), java.util.Set.of(AckAction.CLOSE, AckAction.MESSAGE), "closing " + suffix);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(zabbix.event(problem.eventId()).orElseThrow().recoveryEventId()).isNotEqualTo("0"));
    }

    @Test
    void aHostInAOneTimeMaintenanceIsSeenInMaintenanceAtOnce() throws Exception {
        assertThat(zabbix.inMaintenance(hostName)).isFalse();
        String id = zabbix.createMaintenance("zclient-it-" + suffix, List.of(hostId), Instant.now().minusSeconds(60),
                Duration.ofHours(1));
        maintenances.add(id);

        assertThat(zabbix.inMaintenance(hostName)).isTrue();
        assertThat(zabbix.maintenancesOf(zabbix.hostByName(hostName).orElseThrow()))
                .extracting(m -> m.maintenanceId()).contains(id);

        zabbix.deleteMaintenances(List.of(id));
        maintenances.remove(id);
        assertThat(zabbix.inMaintenance(hostName)).isFalse();
        assertThatThrownBy(() -> zabbix.inMaintenance("no-such-host-" + suffix))
                .isInstanceOfSatisfying(ZabbixApiException.class,
                        e -> assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.NOT_FOUND));
    }

    /** The server learns about new items on its next configuration sync (1 s here): send until one is accepted. */
    private void awaitTrapperAccepts(String key) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() ->
                sender.send(List.of(new SenderValue(hostName, key, "0"))).processed() == 1);
    }
}
