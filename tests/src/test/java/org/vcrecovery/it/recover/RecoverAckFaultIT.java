package org.vcrecovery.it.recover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.it.VcrRun;

/**
 * Zabbix failing exactly when the event is acknowledged (WireMock stands in for the API; BIND is
 * real): the f.service is still recovered, exit 0, and the report says the ack failed and why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoverAckFaultIT {
    private final AtomicInteger event = new AtomicInteger(900_000 + (int) (Math.random() * 90_000));
    private RecoverFixture f;
    private WireMockServer zabbix;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rak");
        zabbix = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        zabbix.start();
        f.onClose(zabbix::stop);
        zabbix.stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(containing("\"host.get\""))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"hostid\":\"10999\",\"host\":\"rak-host\","
                        + "\"name\":\"rak-host\",\"status\":\"0\",\"maintenance_status\":\"0\",\"interfaces\":[],\"groups\":[]}]}")));
        zabbix.stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(containing("\"maintenance.get\""))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}")));
        zabbix.stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(containing("\"usermacro.get\""))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}"))); // no kill switch macro
        zabbix.stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(containing("\"event.get\""))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"eventid\":\"4242\",\"source\":\"0\","
                        + "\"objectid\":\"1\",\"clock\":\"0\",\"value\":\"1\",\"acknowledged\":\"0\",\"name\":\"down\","
                        + "\"severity\":\"4\",\"r_eventid\":\"0\",\"acknowledges\":[],\"hosts\":[]}]}")));
        // The guard's questions come as one JSON-RPC batch (host.get, maintenance.get, event.get,
        // usermacro.get, in that order): answered in kind, each answer carrying its call's id.
        zabbix.stubFor(post(urlEqualTo("/api_jsonrpc.php")).atPriority(1).withRequestBody(matching("(?s)\\s*\\[.*"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withTransformers("response-template")
                        .withBody("[" + answer(0, "[{\"hostid\":\"10999\",\"host\":\"rak-host\",\"name\":\"rak-host\",\"status\":\"0\",\"maintenance_status\":\"0\",\"interfaces\":[],\"groups\":[]}]") + "," + answer(1, "[]") + "," + answer(2, "[{\"eventid\":\"4242\",\"source\":\"0\",\"objectid\":\"1\",\"clock\":\"0\",\"value\":\"1\",\"acknowledged\":\"0\",\"name\":\"down\",\"severity\":\"4\",\"r_eventid\":\"0\",\"acknowledges\":[],\"hosts\":[]}]") + "," + answer(3, "[]") + "]")));
        f.runbookYaml().zabbixHost("rak-host").standby(f.warm()).checkTimeout("300ms").then("limits:\n  ack-timeout: 1500ms\n").write();
        f.config("http://127.0.0.1:" + zabbix.port() + "/api_jsonrpc.php", "dedup-window: 0s\n");
        f.serveHttp(f.address(2));
    }

    @AfterAll
    void tearDown() throws Exception {
        f.close();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("HTTP 500", aResponse().withStatus(500).withBody("Internal Server Error"), "HTTP 500"),
                Arguments.of("a PHP error page", aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html>Fatal error</html>"), "ack failed: "),
                Arguments.of("a JSON-RPC error", okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32500,"
                        + "\"message\":\"Application error.\",\"data\":\"No permissions to referred object.\"}}"), "No permissions"),
                Arguments.of("a reset connection", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "ack failed: "),
                Arguments.of("no answer in time", okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}").withFixedDelay(4000),
                        "ack failed: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void theServiceIsRecoveredAndTheReportSaysTheAckFailed(String why, ResponseDefinitionBuilder answer, String expected)
            throws Exception {
        zabbix.stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(containing("\"event.acknowledge\"")).willReturn(answer));
        f.dnsSet(f.address(1));
        String id = Integer.toString(event.incrementAndGet());

        VcrRun r = f.recover("--event-id", id, "--trigger-host", "rak-host");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": recovered on warm (" + f.address(2) + ")")
                .containsPattern(", ack (failed|timed-out) \\d+ ms; ack failed: ").contains(expected);
        assertThat(f.dig()).containsExactly(f.address(2));
        zabbix.verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(containing("\"eventids\":[\"" + id + "\"]"))
                .withRequestBody(containing("fence ok")));
    }

    /** One answer of a batch: the id of the request's call at {@code index}, with {@code result}. */
    private static String answer(int index, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":{{jsonPath request.body '$[" + index + "].id'}},\"result\":" + result + "}";
    }
}
