package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * Each call takes an answer only as long as it needs (issue 12: in {@code vcr serve} one huge
 * answer must not exhaust the heap shared by every in-flight recovery).
 */
@WireMockTest
class AnswerLimitTest {

    private static void version() {
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":\"7.0.9\",\"id\":1}")));
    }

    /** A valid event.get answer of about {@code bytes} bytes: one event with a long acknowledgement. */
    private static String bigEvent(int bytes) {
        return "{\"jsonrpc\":\"2.0\",\"result\":[{\"eventid\":\"77\",\"suppressed\":\"0\",\"acknowledges\":[{\"message\":\""
                + "x".repeat(bytes) + "\"}]}],\"id\":2}";
    }

    private static ZabbixApi zabbix(WireMockRuntimeInfo wm) {
        return ZabbixApi.builder(URI.create(wm.getHttpBaseUrl() + "/api_jsonrpc.php")).token("t").readRetries(0).build();
    }

    @Test
    void anEventAnswerLongerThanOneObjectCanBeFailsClearlyWithoutBeingRead(WireMockRuntimeInfo wm) {
        version();
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("event.get")))
                .willReturn(okJson(bigEvent(3 << 20))));

        assertThatThrownBy(() -> zabbix(wm).event("77"))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessage("Zabbix API at " + wm.getHttpBaseUrl() + "/api_jsonrpc.php answered event.get with more than "
                        + (1 << 20) + " bytes, more than this call ever needs; stopped reading it");
    }

    @Test
    void aChunkedOversizeAnswerWithoutALengthIsCutTooAndTheNextCallWorks(WireMockRuntimeInfo wm) throws Exception {
        version();
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("event.get")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("Transfer-Encoding", "chunked").withBody(bigEvent(2 << 20))));
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("host.get")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":3}")));
        ZabbixApi z = zabbix(wm);

        assertThatThrownBy(() -> z.event("77")).isInstanceOfSatisfying(ZabbixApiException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        assertThat(z.hostByName("web1")).isEmpty();
    }

    @Test
    void theSameAnswerSizeIsFineForACallThatListsMany(WireMockRuntimeInfo wm) throws Exception {
        version();
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("event.get")))
                .willReturn(okJson(bigEvent(3 << 20))));

        assertThat(zabbix(wm).call("event.get", Map.of("eventids", "77")).get(0).path("eventid").asText()).isEqualTo("77");
    }

    @Test
    void theBoundStopsReadingAtTheFirstBytePastItAndKeepsOnlyTheStartForQuoting() throws Exception {
        BoundedBody body = new BoundedBody(new ByteArrayInputStream(new byte[1 << 20]), 1000);
        assertThatThrownBy(() -> body.readAllBytes()).isInstanceOf(BoundedBody.TooLarge.class);
        assertThat(body.count()).isEqualTo(1001);
        assertThat(body.head()).hasSize(1001);

        BoundedBody small = new BoundedBody(new ByteArrayInputStream("{}".getBytes()), 1000);
        assertThat(small.readAllBytes()).hasSize(2);
    }

    @Test
    void anHtmlErrorPageIsStillQuotedFromItsStart(WireMockRuntimeInfo wm) {
        version();
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("event.get")))
                .willReturn(aResponse().withStatus(502).withBody("<html><body><h1>Bad Gateway</h1>" + "y".repeat(2 << 20)
                        + "</body></html>")));

        assertThatThrownBy(() -> zabbix(wm).event("77")).isInstanceOfSatisfying(ZabbixApiException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS)).hasMessageContaining("HTTP 502").hasMessageContaining(
                        "Bad Gateway");
    }

}
