package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Is the host in maintenance?" as a recovery asks it on Zabbix 7.0's answers: from the event's
 * suppression where there is an event, so the minute after a maintenance ends (host flag still 1,
 * maintenanceid already 0, new problems no longer suppressed) does not refuse a recovery. Each
 * decision is also asked as the guard asks it, in one request, and must come out the same.
 */
class MaintenanceDecisionTest {
    private WireMockServer server;

    private static String host(int status, String maintenanceId) {
        return "[{\"hostid\":\"10084\",\"host\":\"web1\",\"name\":\"web1\",\"status\":\"0\",\"maintenance_status\":\""
                + status + "\",\"maintenanceid\":\"" + maintenanceId + "\",\"interfaces\":[],\"hostgroups\":[{\"groupid\":\"2\",\"name\":\"g\"}]}]";
    }

    private static String event(int suppressed, String hostId) {
        return "[{\"eventid\":\"77\",\"source\":\"0\",\"objectid\":\"13\",\"clock\":\"1700000000\",\"value\":\"1\","
                + "\"acknowledged\":\"0\",\"name\":\"down\",\"severity\":\"4\",\"r_eventid\":\"0\",\"suppressed\":\""
                + suppressed + "\",\"hosts\":[{\"hostid\":\"" + hostId + "\"}],\"acknowledges\":[]}]";
    }

    /** A one-time maintenance of group 2 that began a minute ago and lasts an hour. */
    private static String newMaintenance() {
        long now = Instant.now().getEpochSecond();
        return "[{\"maintenanceid\":\"9\",\"name\":\"m\",\"active_since\":\"" + (now - 60) + "\",\"active_till\":\""
                + (now + 3600) + "\",\"maintenance_type\":\"0\",\"hosts\":[],\"hostgroups\":[{\"groupid\":\"2\"}],"
                + "\"timeperiods\":[{\"timeperiod_type\":\"0\",\"start_date\":\"" + (now - 60) + "\",\"period\":\"3660\"}]}]";
    }

    private ZabbixApi zabbix(String host, String event, String maintenances) {
        ZabbixContract contract = new ZabbixContract("7.0.9").answer("host.get", host).answer("maintenance.get", maintenances);
        if (event != null) contract.answer("event.get", event);
        server = new WireMockServer(wireMockConfig().dynamicPort().extensions(contract));
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(ok()));
        return ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).token(ZabbixContract.TOKEN).build();
    }

    /** The decision asked alone and in the guard's one request ({@link ZabbixApi#guard}): they must agree. */
    private static boolean both(ZabbixApi z, String host, String eventId) throws Exception {
        boolean alone = z.inMaintenance(host, eventId);
        assertThat(z.guard(host, eventId, null).inMaintenance()).as("the guard's one request decides the same").isEqualTo(alone);
        return alone;
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void anUnsuppressedEventRightAfterAMaintenanceWasDeletedIsNotInMaintenance() throws Exception {
        ZabbixApi z = zabbix(host(1, "0"), event(0, "10084"), "[]");
        assertThat(both(z, "web1", "77")).isFalse();
    }

    @Test
    void anUnsuppressedEventIsNotInMaintenanceEvenWhileTheHostFlagStillNamesTheEndedMaintenance() throws Exception {
        ZabbixApi z = zabbix(host(1, "9"), event(0, "10084"), "[]");
        assertThat(both(z, "web1", "77")).isFalse();
    }

    @Test
    void aSuppressedEventIsInMaintenance() throws Exception {
        ZabbixApi z = zabbix(host(0, "0"), event(1, "10084"), "[]");
        assertThat(both(z, "web1", "77")).isTrue();
    }

    @Test
    void aMaintenanceCreatedLessThanAMinuteAgoCountsBeforeZabbixSuppressesTheEvent() throws Exception {
        ZabbixApi z = zabbix(host(0, "0"), event(0, "10084"), newMaintenance());
        assertThat(both(z, "web1", "77")).isTrue();
    }

    @Test
    void anEventOfAnotherHostLeavesTheDecisionToTheRunbookHostsFlag() throws Exception {
        ZabbixApi z = zabbix(host(1, "9"), event(0, "10999"), "[]");
        assertThat(both(z, "web1", "77")).isTrue();
    }

    @Test
    void withoutAnEventTheHostFlagDecidesUnlessItIsTheStaleOneOfADeletedMaintenance() throws Exception {
        assertThat(zabbix(host(1, "9"), null, "[]").inMaintenance("web1")).isTrue();
        server.stop();
        assertThat(zabbix(host(1, "0"), null, "[]").inMaintenance("web1")).isFalse();
        server.stop();
        assertThat(both(zabbix(host(1, "0"), null, "[]"), "web1", null)).isFalse();
    }

    @Test
    void anEventThatDoesNotExistIsDecidedByTheHost() throws Exception {
        assertThat(both(zabbix(host(1, "9"), "[]", "[]"), "web1", "77")).isTrue();
    }
}
