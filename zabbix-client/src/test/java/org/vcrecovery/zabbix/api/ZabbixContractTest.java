package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * Every typed call of the client against a stand-in that refuses what each Zabbix version's
 * published API change list says it refuses ({@link ZabbixContract}): no call may carry anything
 * its version would reject.
 */
class ZabbixContractTest {
    private static final String HOST = "{\"hostid\":\"10084\",\"host\":\"web1\",\"name\":\"Web 1\",\"status\":\"0\","
            + "\"maintenance_status\":\"0\",\"maintenanceid\":\"0\",\"interfaces\":[],\"hostgroups\":[{\"groupid\":\"2\","
            + "\"name\":\"Linux servers\"}],\"groups\":[{\"groupid\":\"2\",\"name\":\"Linux servers\"}]}";
    private static final String EVENT = "{\"eventid\":\"77\",\"source\":\"0\",\"objectid\":\"13\",\"clock\":\"1700000000\","
            + "\"value\":\"1\",\"acknowledged\":\"0\",\"name\":\"web1 down\",\"severity\":\"4\",\"r_eventid\":\"0\","
            + "\"suppressed\":\"0\",\"hosts\":[{\"hostid\":\"10084\"}],\"acknowledges\":[]}";

    private WireMockServer server;

    private ZabbixContract start(String version) {
        ZabbixContract contract = new ZabbixContract(version)
                .answer("user.get", "[{\"userid\":\"1\"}]")
                .answer("host.get", "[" + HOST + "]")
                .answer("hostinterface.get", "[{\"hostid\":\"10084\"}]")
                .answer("hostgroup.get", "[{\"groupid\":\"2\",\"name\":\"Linux servers\"}]")
                .answer("event.get", "[" + EVENT + "]")
                .answer("event.acknowledge", "{\"eventids\":[\"77\"]}")
                .answer("maintenance.create", "{\"maintenanceids\":[\"5\"]}")
                .answer("maintenance.delete", "{\"maintenanceids\":[\"5\"]}")
                .answer("script.get", "[{\"scriptid\":\"3\",\"name\":\"vcr: recover now\",\"command\":\"true\",\"type\":\"0\","
                        + "\"scope\":\"2\",\"execute_on\":\"0\",\"description\":\"\"}]")
                .answer("script.execute", "{\"response\":\"success\",\"value\":\"ok\"}")
                .answer("configuration.import", "true")
                .answer("user.logout", "true");
        server = new WireMockServer(wireMockConfig().dynamicPort().extensions(contract));
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(ok()));
        return contract;
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    private ZabbixApi.Builder client() {
        return ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).readRetries(0)
                .requestTimeout(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.0.14", "6.4.21", "7.0.9", "7.2.3", "7.4.0"})
    void everyCallOfARecoveryAndAnInstallIsOneThisVersionAccepts(String version) throws Exception {
        ZabbixContract contract = start(version);
        try (ZabbixApi zabbix = client().token(ZabbixContract.TOKEN).build()) {
            zabbix.authenticate();
            assertThat(zabbix.hostByName("web1")).isPresent();
            assertThat(zabbix.hostsByIp("127.0.0.5")).hasSize(1);
            assertThat(zabbix.hostGroupByName("Linux servers")).isPresent();
            zabbix.templateByName("vcrecovery KVM host");
            assertThat(zabbix.event("77")).get().extracting(Event::suppressed).isEqualTo(false);
            zabbix.problemsOfTrigger("13");
            zabbix.problemsOfHost("10084");
            zabbix.acknowledge("77", "vcr: recovered", false);
            zabbix.acknowledge("77", java.util.EnumSet.of(AckAction.MESSAGE), "vcr: step");
            assertThat(zabbix.inMaintenance("web1")).isFalse();
            assertThat(zabbix.inMaintenance("web1", "77")).isFalse();
            zabbix.maintenancesOf(zabbix.hostByName("web1").orElseThrow());
            zabbix.deleteMaintenances(List.of(zabbix.createMaintenance("m", List.of("10084"), Instant.now(), Duration.ofHours(1))));
            assertThat(zabbix.executeScript(zabbix.scriptByName("vcr: recover now").orElseThrow().scriptId(), "10084").value())
                    .isEqualTo("ok");
            zabbix.actionByName("vcr: recover");
            zabbix.importConfiguration("zabbix_export:\n  version: '6.0'\n", ImportRules.defaults());
            zabbix.itemByKey("web1", "vcr.vm.state");
            zabbix.items("10084");
            zabbix.triggers("10084");
            zabbix.history("1", ValueType.UNSIGNED, 1);
            zabbix.tokens();
        }
        assertThat(contract.violations()).isEmpty();
        assertThat(contract.methods()).contains("problem.get", "event.get", "maintenance.get", "configuration.import",
                "script.execute", "event.acknowledge");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.0.14", "6.4.21", "7.0.9", "7.2.3", "7.4.0"})
    void aPasswordLoginSendsUsernameAndTheSessionWhereThisVersionReadsIt(String version) throws Exception {
        ZabbixContract contract = start(version);
        try (ZabbixApi zabbix = client().login("vcr", "pw").build()) {
            assertThat(zabbix.inMaintenance("web1", "77")).isFalse();
            zabbix.acknowledge("77", "vcr: recovered", false);
        }
        assertThat(contract.violations()).isEmpty();
        assertThat(contract.methods()).startsWith("apiinfo.version", "user.login").endsWith("user.logout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.2.3", "7.4.0"})
    void theStandInRefusesWhatTheseVersionsRemovedSoAStrayParameterFailsTheTest(String version) {
        ZabbixContract contract = start(version);
        ZabbixApi zabbix = client().token(ZabbixContract.TOKEN).build();

        assertThatThrownBy(() -> zabbix.call("event.get", Map.of("eventids", List.of("77"), "select_acknowledges", "extend")))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.API_ERROR))
                .hasMessageContaining("unexpected parameter \"select_acknowledges\"");
        assertThatThrownBy(() -> zabbix.call("host.get", Map.of("selectGroups", "extend")))
                .hasMessageContaining("unexpected parameter \"selectGroups\"");
        assertThat(contract.violations()).containsExactly("event.get: unexpected parameter select_acknowledges",
                "host.get: unexpected parameter selectGroups");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.0.9", "7.4.0"})
    void problemGetAndUserGetRefuseUnknownParametersFrom70And74(String version) {
        ZabbixContract contract = start(version);
        ZabbixApi zabbix = client().token(ZabbixContract.TOKEN).build();

        assertThatThrownBy(() -> zabbix.call("problem.get", Map.of("selectHosts", "extend")))
                .hasMessageContaining("unexpected parameter \"selectHosts\"");
        assertThatThrownBy(() -> zabbix.call("user.get", Map.of("output", "extend", "selectGroups", "extend")))
                .hasMessageContaining("unexpected parameter \"selectGroups\"");
        assertThat(contract.violations()).hasSize(2);
    }
}
