package org.vcrecovery.vcr.recover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.config.VcrConfig;

/**
 * The guard's questions to the API (event still open, maintenance, kill-switch macro) leave as one
 * request from the API's port, and each future still gets its own answer or its own failure, so
 * each guard step decides as it did when they were asked one by one.
 */
class GuardQuestionsTest {
    private static final String HOST = "{\"hostid\":\"10084\",\"host\":\"web1\",\"name\":\"web1\",\"status\":\"0\","
            + "\"maintenance_status\":\"0\",\"maintenanceid\":\"0\",\"hostgroups\":[{\"groupid\":\"2\"}]}";
    private static final String EVENT = "{\"eventid\":\"77\",\"source\":\"0\",\"objectid\":\"13\",\"value\":\"1\","
            + "\"r_eventid\":\"%s\",\"suppressed\":\"%s\",\"hosts\":[{\"hostid\":\"10084\"}]}";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    private final ExecutorService executor = RunFrame.executor();

    private ZabbixApiPort port(int status, String body) throws IOException {
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
        VcrConfig.Zabbix z = new VcrConfig.Zabbix(URI.create(server.baseUrl() + "/api_jsonrpc.php"), java.nio.file.Path.of("/t"),
                null, null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, "7.0");
        return ZabbixApiPort.connect(z, "token-0123456789");
    }

    private static String batch(String... results) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < results.length; i++) {
            if (i > 0) b.append(',');
            b.append("{\"jsonrpc\":\"2.0\",\"result\":").append(results[i]).append(",\"id\":").append(i + 1).append('}');
        }
        return b.append(']').toString();
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        server.stop();
    }

    @Test
    void theApiPortAsksEverythingInOneRequest() throws Exception {
        ZabbixPort.Questions q = port(200, batch("[" + HOST + "]", "[]", "[" + EVENT.formatted("0", "0") + "]",
                "[{\"macro\":\"{$VCR.AUTO}\",\"value\":\"0\"}]")).ask(executor, "web1", "77", "{$VCR.AUTO}");

        assertThat(get(q.resolved())).isFalse();
        assertThat(get(q.inMaintenance())).isFalse();
        assertThat(get(q.globalMacro())).isEqualTo("0");
        assertThat(server.getAllServeEvents()).as("HTTP requests").hasSize(1);
    }

    @Test
    void aResolvedOrSuppressedEventIsSaidSoToItsOwnStep() throws Exception {
        ZabbixPort.Questions q = port(200, batch("[" + HOST + "]", "[]", "[" + EVENT.formatted("91", "1") + "]"))
                .ask(executor, "web1", "77", null);

        assertThat(get(q.resolved())).isTrue();
        assertThat(get(q.inMaintenance())).isTrue();
        assertThat(q.globalMacro()).as("not asked").isNull();
    }

    @Test
    void aHostZabbixDoesNotKnowFailsOnlyTheMaintenanceQuestion() throws Exception {
        ZabbixPort.Questions q = port(200, batch("[]", "[]", "[" + EVENT.formatted("0", "0") + "]"))
                .ask(executor, "web1", "77", null);

        assertThat(get(q.resolved())).isFalse();
        assertThatThrownBy(() -> get(q.inMaintenance())).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class).hasMessageContaining("no Zabbix host named \"web1\"");
    }

    @Test
    void aRequestThatFailsFailsEveryQuestionWithTheSameOneLineReason() throws Exception {
        ZabbixPort.Questions q = port(503, "<html>busy</html>").ask(executor, "web1", "77", "{$VCR.AUTO}");

        for (Future<?> f : new Future<?>[] {q.resolved(), q.inMaintenance(), q.globalMacro()}) {
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP 503").hasMessageNotContaining("token-0123456789");
        }
    }
}
