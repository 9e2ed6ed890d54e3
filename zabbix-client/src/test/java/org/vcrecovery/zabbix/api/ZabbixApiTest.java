package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

@WireMockTest
class ZabbixApiTest {
    private static final String TOKEN = "0123456789abcdef-SECRET-TOKEN";
    private static final String PASSWORD = "s3cr3t-PASSWORD";
    private static final String HOST = "{\"hostid\":\"10084\",\"host\":\"web1\",\"name\":\"Web 1\",\"status\":\"0\","
            + "\"maintenance_status\":\"0\",\"interfaces\":[{\"interfaceid\":\"1\",\"type\":\"1\",\"main\":\"1\","
            + "\"useip\":\"1\",\"ip\":\"127.0.0.5\",\"dns\":\"\",\"port\":\"10050\"}],"
            + "\"hostgroups\":[{\"groupid\":\"2\",\"name\":\"Linux servers\"}]}";

    private static URI api(WireMockRuntimeInfo wm) {
        return URI.create(wm.getHttpBaseUrl() + "/api_jsonrpc.php");
    }

    private static void version(String v) {
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":\"" + v + "\",\"id\":1}")));
    }

    private static void result(String method, String json) {
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo(method)))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":" + json + ",\"id\":1}")));
    }

    private static String error(int code, String message, String data) {
        return "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"data\":\"" + data
                + "\"},\"id\":1}";
    }

    @Test
    void aZabbix72ServerGetsTheBearerHeaderAndNoAuthField(WireMockRuntimeInfo wm) throws Exception {
        version("7.2.3");
        // 7.2 refuses the auth field outright
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).atPriority(1).withRequestBody(matchingJsonPath("$.auth"))
                .willReturn(okJson(error(-32602, "Invalid params.", "Invalid parameter \\\"/\\\": unexpected parameter \\\"auth\\\"."))));
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).atPriority(2).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[" + HOST + "],\"id\":2}")));

        try (ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).build()) {
            Host host = zabbix.hostByName("web1").orElseThrow();
            assertThat(host.hostId()).isEqualTo("10084");
            assertThat(host.interfaces()).extracting(HostInterface::ip).containsExactly("127.0.0.5");
            assertThat(host.groups()).extracting(HostGroup::name).containsExactly("Linux servers");
            assertThat(zabbix.version()).isEqualTo(new ZabbixVersion(7, 2, 3));
        }
        verify(exactly(1), postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(notContaining("\"auth\""))
                .withRequestBody(matchingJsonPath("$.params.selectHostGroups")));
        verify(exactly(0), postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("user.logout"))));
    }

    @Test
    void aZabbix60ServerGetsTheAuthFieldAndNoHeader(WireMockRuntimeInfo wm) throws Exception {
        version("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.auth", equalTo(TOKEN)))
                .withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[" + HOST.replace("hostgroups", "groups") + "],\"id\":2}")));

        try (ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).build()) {
            assertThat(zabbix.hostByName("web1").orElseThrow().groups()).extracting(HostGroup::groupId).containsExactly("2");
        }
        verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .withHeader("Authorization", absent())
                .withRequestBody(matchingJsonPath("$.params.selectGroups")));
        verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version")))
                .withHeader("Authorization", absent())
                .withRequestBody(notContaining("\"auth\"")));
    }

    @Test
    void aPasswordLoginUsesUsernameAndCloseLogsOutTheSessionItOpened(WireMockRuntimeInfo wm) throws Exception {
        version("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("user.login")))
                .withRequestBody(matchingJsonPath("$.params.username", equalTo("Admin")))
                .withRequestBody(matchingJsonPath("$.params.password", equalTo(PASSWORD)))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":\"sess0123456789\",\"id\":1}")));
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.auth", equalTo("sess0123456789")))
                .withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2}")));
        result("user.logout", "true");

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).login("Admin", PASSWORD).build();
        assertThat(zabbix.hostByName("nope")).isEmpty();
        zabbix.close();

        verify(exactly(1), postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("user.logout")))
                .withRequestBody(matchingJsonPath("$.auth", equalTo("sess0123456789"))));
        assertThat(zabbix.toString()).doesNotContain(PASSWORD).doesNotContain("sess0123456789").contains("user Admin");
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheCallRepeated(WireMockRuntimeInfo wm) throws Exception {
        version("6.4.10");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("user.login")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":\"sessAAAA\",\"id\":1}")));
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.method", equalTo("event.acknowledge")))
                .willReturn(okJson(error(-32602, "Invalid params.", "Session terminated, re-login, please.")))
                .willSetStateTo("expired"));
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).inScenario("expiry").whenScenarioStateIs("expired")
                .withRequestBody(matchingJsonPath("$.method", equalTo("event.acknowledge")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":{\"eventids\":[\"77\"]},\"id\":3}")));

        try (ZabbixApi zabbix = ZabbixApi.builder(api(wm)).login("Admin", PASSWORD).build()) {
            zabbix.acknowledge("77", "recovered web1 on standby lxc-web1", true);
        }
        verify(exactly(2), postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("user.login"))));
        verify(exactly(2), postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("event.acknowledge")))
                .withHeader("Authorization", equalTo("Bearer sessAAAA"))
                .withRequestBody(matchingJsonPath("$.params.action", equalTo("7")))
                .withRequestBody(matchingJsonPath("$.params.message", equalTo("recovered web1 on standby lxc-web1"))));
    }

    @Test
    void aJsonRpcErrorNamesTheMethodCodeAndData(WireMockRuntimeInfo wm) {
        version("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("host.create")))
                .willReturn(okJson(error(-32602, "Invalid params.", "Host with the same name \\\"web1\\\" already exists."))));

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).build();
        assertThatThrownBy(() -> zabbix.createHost("web1", List.of("2"), List.of(HostInterface.agent("127.0.0.5", 10050)), List.of()))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.API_ERROR);
                    assertThat(e.method()).isEqualTo("host.create");
                    assertThat(e.code()).isEqualTo(-32602);
                    assertThat(e.apiMessage()).isEqualTo("Invalid params.");
                    assertThat(e.data()).isEqualTo("Host with the same name \"web1\" already exists.");
                    assertThat(e.getMessage()).isEqualTo("Zabbix API host.create failed: Invalid params. Host with the same"
                            + " name \"web1\" already exists. (code -32602)").doesNotContain(TOKEN);
                });
    }

    @Test
    void aRejectedTokenIsAnAuthFailureWithoutTheToken(WireMockRuntimeInfo wm) {
        version("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(okJson(error(-32602, "Invalid params.", "Not authorised."))));

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).build();
        assertThatThrownBy(() -> zabbix.hostByName("web1"))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.AUTH_FAILED))
                .hasMessageNotContaining(TOKEN);
        assertThat(zabbix.toString()).doesNotContain(TOKEN).contains("API token");
    }

    @Test
    void http500IsAnHttpStatusErrorWithTheBodyText(WireMockRuntimeInfo wm) {
        version("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/plain").withBody("database is down")));

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).readRetries(0).build();
        assertThatThrownBy(() -> zabbix.hostByName("web1"))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS);
                    assertThat(e.httpStatus()).isEqualTo(500);
                })
                .hasMessage("Zabbix API at " + api(wm) + " answered host.get with HTTP 500 (text/plain): database is down");
    }

    @Test
    void aPhpErrorPageIsNotJsonAndTheMessageShowsItsTextWithoutTags(WireMockRuntimeInfo wm) {
        version("6.0.14");
        String page = "<!DOCTYPE html><html><head><title>Error</title><style>b{color:red}</style></head><body><br />\n"
                + "<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in "
                + "<b>/usr/share/zabbix/include/classes/api/CApiService.php</b> on line <b>1167</b><br />\n" + "x".repeat(400)
                + "</body></html>";
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=UTF-8").withBody(page)));

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).build();
        assertThatThrownBy(() -> zabbix.hostByName("web1"))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_JSON))
                .hasMessageStartingWith("Zabbix API at " + api(wm) + " answered host.get with a body that is not JSON"
                        + " (text/html; charset=UTF-8): Error Fatal error: Allowed memory size of 134217728 bytes exhausted")
                .hasMessageNotContaining("<b>")
                .hasMessageNotContaining("color:red")
                .hasMessageEndingWith("...");
        // not retried: an error page is an answer, not a transport failure
        verify(exactly(1), postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("host.get"))));
    }

    @Test
    void aSlowServerHitsTheRequestTimeout(WireMockRuntimeInfo wm) {
        version("7.0.5");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("history.get")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2}").withFixedDelay(3_000)));

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).version(ZabbixVersion.parse("7.0.5"))
                .requestTimeout(Duration.ofMillis(500)).readRetries(0).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> zabbix.history("42", ValueType.UNSIGNED, 10))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT))
                .hasMessage("Zabbix API at " + api(wm) + " did not answer history.get within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void readsAreRetriedButWritesAreNot(WireMockRuntimeInfo wm) {
        version("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", containing(".")))
                .withRequestBody(notContaining("apiinfo.version"))
                .willReturn(aResponse().withStatus(503).withBody("<h1>503 Service Unavailable</h1>")));

        ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).readRetries(2).build();
        assertThatThrownBy(() -> zabbix.hostByName("web1")).hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> zabbix.createHostGroup("new group")).hasMessageContaining("HTTP 503");

        verify(exactly(3), postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("host.get"))));
        verify(exactly(1), postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("hostgroup.create"))));
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ZabbixApi zabbix = ZabbixApi.builder(URI.create("http://127.0.0.1:" + port + "/")).token(TOKEN).readRetries(0).build();
        assertThatThrownBy(zabbix::version)
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
                .hasMessageStartingWith("cannot reach the Zabbix API at http://127.0.0.1:" + port + "/api_jsonrpc.php"
                        + " (apiinfo.version): ConnectException");
    }

    @Test
    void importRulesFollowTheServerVersion(WireMockRuntimeInfo wm) throws Exception {
        for (String v : List.of("6.0.14", "6.4.10")) {
            com.github.tomakehurst.wiremock.client.WireMock.reset();
            version(v);
            result("configuration.import", "true");
            ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).build();
            zabbix.importConfiguration("zabbix_export:\n  version: '6.0'\n", ImportRules.defaults());
            boolean separate = !v.startsWith("6.0");
            verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                    .withRequestBody(matchingJsonPath("$.params.format", equalTo("yaml")))
                    .withRequestBody(matchingJsonPath("$.params.rules.templates.createMissing", equalTo("true")))
                    .withRequestBody(matchingJsonPath("$.params.rules.items.deleteMissing", equalTo("false")))
                    .withRequestBody(separate ? matchingJsonPath("$.params.rules.host_groups")
                            : matchingJsonPath("$.params.rules.groups"))
                    .withRequestBody(separate ? notContaining("\"groups\"") : notContaining("host_groups")));
        }
    }

    @Test
    void aKnownVersionSkipsTheVersionRoundTrip(WireMockRuntimeInfo wm) throws Exception {
        result("item.get", "[{\"itemid\":\"5\",\"hostid\":\"1\",\"name\":\"state\",\"key_\":\"vm.state[web1]\",\"type\":\"2\","
                + "\"value_type\":\"1\",\"lastvalue\":\"running\",\"lastclock\":\"1700000000\",\"state\":\"0\",\"error\":\"\"}]");
        try (ZabbixApi zabbix = ZabbixApi.builder(api(wm)).token(TOKEN).version(ZabbixVersion.parse("6.0.14")).build()) {
            Item item = zabbix.itemByKey("web1", "vm.state[web1]").orElseThrow();
            assertThat(item.lastValue()).isEqualTo("running");
            assertThat(item.valueType()).isEqualTo(ValueType.CHARACTER);
            assertThat(item.lastClock()).isEqualTo(1700000000L);
        }
        verify(exactly(0), postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("apiinfo.version"))));
    }
}
