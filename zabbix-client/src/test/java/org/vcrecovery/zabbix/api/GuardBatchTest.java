package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A recovery's guard questions ({@link ZabbixApi#guard}) go out as one JSON-RPC batch, one HTTP
 * request, in the form each version takes; a call the server refuses fails alone, a request that
 * fails fails them all, and nothing is ever read as "no maintenance" or "still open" by default.
 */
class GuardBatchTest {
    private static final String HOST = "[{\"hostid\":\"10084\",\"host\":\"web1\",\"name\":\"web1\",\"status\":\"0\","
            + "\"maintenance_status\":\"0\",\"maintenanceid\":\"0\",\"hostgroups\":[{\"groupid\":\"2\"}]}]";
    private static final String EVENT = "[{\"eventid\":\"77\",\"source\":\"0\",\"objectid\":\"13\",\"clock\":\"1700000000\","
            + "\"value\":\"1\",\"acknowledged\":\"0\",\"name\":\"down\",\"severity\":\"4\",\"r_eventid\":\"%s\","
            + "\"suppressed\":\"%s\",\"hosts\":[{\"hostid\":\"10084\"}]}]";

    private WireMockServer server;

    private ZabbixApi contract(ZabbixContract c, String version) {
        server = new WireMockServer(wireMockConfig().dynamicPort().extensions(c));
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(ok()));
        return ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).version(ZabbixVersion.parse(version))
                .token(ZabbixContract.TOKEN).build();
    }

    /** A server answering every request with {@code body} (status 200 unless given). */
    private ZabbixApi scripted(int status, String body) {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
        return ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).version(ZabbixVersion.parse("7.0"))
                .token(ZabbixContract.TOKEN).build();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.0.14", "7.0.9", "7.2.0", "7.4.0"})
    void theEventTheHostTheMaintenancesAndTheMacroAreAskedInOneRequestThatEveryVersionTakes(String version) throws Exception {
        ZabbixContract c = new ZabbixContract(version).answer("host.get", HOST.replace("hostgroups", version.startsWith("6")
                        ? "groups" : "hostgroups")).answer("event.get", EVENT.formatted("0", "0")).answer("maintenance.get", "[]")
                .answer("usermacro.get", "[{\"macro\":\"{$VCR.AUTO}\",\"value\":\"1\"}]");
        ZabbixApi z = contract(c, version);

        GuardAnswers a = z.guard("web1", "77", "{$VCR.AUTO}");

        assertThat(a.resolved()).isFalse();
        assertThat(a.inMaintenance()).isFalse();
        assertThat(a.globalMacro()).isEqualTo("1");
        assertThat(server.getAllServeEvents()).as("HTTP requests").hasSize(1);
        assertThat(c.methods()).containsExactly("host.get", "maintenance.get", "event.get", "usermacro.get");
        assertThat(c.violations()).isEmpty();
    }

    @Test
    void aResolvedEventAndASuppressedOneAreSaidSo() throws Exception {
        ZabbixApi z = contract(new ZabbixContract("7.0.9").answer("host.get", HOST)
                .answer("event.get", EVENT.formatted("78", "1")), "7.0.9");

        GuardAnswers a = z.guard("web1", "77", null);

        assertThat(a.resolved()).isTrue();
        assertThat(a.inMaintenance()).isTrue();
        assertThat(a.globalMacro()).as("not asked").isNull();
    }

    @Test
    void aCallTheServerRefusesFailsAloneAndAnswersAreMatchedById() throws Exception {
        // ids 1-4 in the order asked (host, maintenances, event, macro), answered out of order
        ZabbixApi z = scripted(200, "[{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params.\","
                + "\"data\":\"No permissions to referred object or it does not exist!\"},\"id\":4},"
                + "{\"jsonrpc\":\"2.0\",\"result\":" + EVENT.formatted("0", "0") + ",\"id\":3},"
                + "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2},{\"jsonrpc\":\"2.0\",\"result\":" + HOST + ",\"id\":1}]");

        GuardAnswers a = z.guard("web1", "77", "{$VCR.AUTO}");

        assertThat(a.resolved()).isFalse();
        assertThat(a.inMaintenance()).isFalse();
        assertThatThrownBy(a::globalMacro).isInstanceOf(ZabbixApiException.class)
                .hasMessageContaining("usermacro.get").hasMessageContaining("No permissions");
    }

    @Test
    void aCallLeftUnansweredIsAFailureNotAnEmptyAnswer() throws Exception {
        ZabbixApi z = scripted(200, "[{\"jsonrpc\":\"2.0\",\"result\":" + HOST + ",\"id\":1},{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2}]");

        GuardAnswers a = z.guard("web1", "77", null);

        assertThatThrownBy(a::resolved).isInstanceOf(ZabbixApiException.class).hasMessageContaining("without an answer to event.get");
        assertThatThrownBy(a::inMaintenance).as("the decision needs the event").isInstanceOf(ZabbixApiException.class);
    }

    @Test
    void aHostZabbixDoesNotKnowIsNotFoundWhileTheEventStillAnswers() throws Exception {
        ZabbixApi z = contract(new ZabbixContract("7.0.9").answer("event.get", EVENT.formatted("0", "0")), "7.0.9");

        GuardAnswers a = z.guard("web1", "77", null);

        assertThat(a.resolved()).isFalse();
        assertThatThrownBy(a::inMaintenance).isInstanceOfSatisfying(ZabbixApiException.class,
                e -> assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.NOT_FOUND));
    }

    @Test
    void aFailedRequestFailsEveryQuestionNamingThem() {
        ZabbixApi z = scripted(500, "<html><body>Internal Server Error</body></html>");

        assertThatThrownBy(() -> z.guard("web1", "77", "{$VCR.AUTO}")).isInstanceOfSatisfying(ZabbixApiException.class, e -> {
            assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.HTTP_STATUS);
            assertThat(e.getMessage()).contains("host.get+maintenance.get+event.get+usermacro.get").contains("HTTP 500");
        });
    }

    @Test
    void anErrorForTheWholeBatchOrASingleAnswerIsNotTakenForTheBatchsAnswers() {
        ZabbixApi whole = scripted(200, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid request.\","
                + "\"data\":\"Invalid parameter\"},\"id\":null}");
        assertThatThrownBy(() -> whole.guard("web1", "77", null)).isInstanceOfSatisfying(ZabbixApiException.class,
                e -> assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.API_ERROR));
        server.stop();
        ZabbixApi single = scripted(200, "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":1}");
        assertThatThrownBy(() -> single.guard("web1", "77", null)).isInstanceOfSatisfying(ZabbixApiException.class,
                e -> assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.NOT_JSON));
    }

    @Test
    void nothingAskedSendsNothing() throws Exception {
        ZabbixApi z = scripted(200, "[]");
        GuardAnswers a = z.guard(null, null, null);
        assertThat(a.resolved()).isFalse();
        assertThat(a.inMaintenance()).isFalse();
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.0.14", "7.0.9", "7.2.0", "7.4.0"})
    void aHostDownsVmQuestionsAreOneRequestThatEveryVersionTakes(String version) throws Exception {
        String groups = version.startsWith("6") ? "groups" : "hostgroups";
        String hosts = "[" + HOST.substring(1, HOST.length() - 1).replace("hostgroups", groups) + ","
                + "{\"hostid\":\"10085\",\"host\":\"web2\",\"name\":\"web2\",\"status\":\"0\",\"maintenance_status\":\"1\","
                + "\"maintenanceid\":\"5\",\"" + groups + "\":[{\"groupid\":\"2\"}]}]";
        ZabbixContract c = new ZabbixContract(version).answer("host.get", hosts).answer("maintenance.get", "[]")
                .answer("problem.get", "[{\"eventid\":\"91\",\"tags\":[{\"tag\":\"vcrecovery\",\"value\":\"vm-down\"},"
                        + "{\"tag\":\"vm\",\"value\":\"web2-dom\"}]},{\"eventid\":\"92\",\"tags\":[{\"tag\":\"vm\",\"value\":\"other\"}]}]");
        ZabbixApi z = contract(c, version);

        VmGuardAnswers a = z.vmGuard(java.util.List.of("web1", "web2", "web3"), java.util.List.of("web1-dom", "web2-dom"));

        assertThat(a.inMaintenance("web1")).contains(false);
        assertThat(a.inMaintenance("web2")).contains(true);
        assertThat(a.inMaintenance("web3")).as("no such host: unknown, not 'not in maintenance'").isEmpty();
        assertThat(a.vmDownEvents("web2-dom")).containsExactly("91");
        assertThat(a.vmDownEvents("web1-dom")).isEmpty();
        assertThat(a.vmDownEvents("other")).as("a VM not asked about").isEmpty();
        assertThat(server.getAllServeEvents()).as("HTTP requests").hasSize(1);
        assertThat(c.methods()).containsExactly("host.get", "maintenance.get", "problem.get");
        assertThat(c.violations()).isEmpty();
    }

    @Test
    void aVmQuestionTheServerRefusesFailsAloneAndNeverReadsAsNoMaintenance() throws Exception {
        ZabbixApi z = scripted(200, "[{\"jsonrpc\":\"2.0\",\"result\":" + HOST + ",\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32500,\"message\":\"Application error.\",\"data\":\"No permissions.\"},\"id\":2},"
                + "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":3}]");

        VmGuardAnswers a = z.vmGuard(java.util.List.of("web1"), java.util.List.of("web1-dom"));

        assertThatThrownBy(() -> a.inMaintenance("web1")).isInstanceOf(ZabbixApiException.class).hasMessageContaining("maintenance.get");
        assertThat(a.vmDownEvents("web1-dom")).isEmpty();
    }
}
