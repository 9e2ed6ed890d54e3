package org.vcrecovery.vcr.recover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.zabbix.api.ProblemsAndGuard;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixVersion;

/**
 * What a run may take from {@code --pending}'s request instead of asking again: only answers
 * about an event that request listed open (and unsuppressed), and only where the answer can tell;
 * everything else is left for the run to ask (null).
 */
class AnsweredQuestionsTest {
    private static final String PROBLEMS = "[{\"eventid\":\"77\",\"tags\":[{\"tag\":\"vcrecovery\",\"value\":\"vm-down\"},"
            + "{\"tag\":\"vm\",\"value\":\"web1-vm\"}],\"acknowledges\":[]}]";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    private static String host(String name, int flag, String maintenanceId) {
        return "{\"hostid\":\"1" + name.length() + "\",\"host\":\"" + name + "\",\"name\":\"" + name + "\",\"status\":\"0\","
                + "\"maintenance_status\":\"" + flag + "\",\"maintenanceid\":\"" + maintenanceId + "\",\"hostgroups\":[{\"groupid\":\"2\"}]}";
    }

    /** The batch's answer: problems, hosts, maintenances, macro (ids 1-4). */
    private ProblemsAndGuard answers(String hosts, String maintenances, String macro) throws Exception {
        String[] results = {PROBLEMS, hosts, maintenances, macro};
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < results.length; i++) {
            if (i > 0) b.append(',');
            b.append(results[i].startsWith("{\"error\"") ? results[i].replace("}}", "},\"jsonrpc\":\"2.0\",\"id\":" + (i + 1) + "}")
                    : "{\"jsonrpc\":\"2.0\",\"result\":" + results[i] + ",\"id\":" + (i + 1) + "}");
        }
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(b.append(']').toString())));
        try (ZabbixApi api = ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).version(ZabbixVersion.parse("7.0"))
                .token("token-0123456789").build()) {
            return api.problemsAndGuard(java.util.Map.of("output", List.of("eventid")), Set.of("web1", "web2"), "{$VCR.AUTO}");
        }
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void anEventTheRequestListedIsStillAProblemAndItsHostsMaintenanceIsDecidedFromTheAnswer() throws Exception {
        ProblemsAndGuard a = answers("[" + host("web1", 0, "0") + "]", "[]", "[{\"macro\":\"{$VCR.AUTO}\",\"value\":\"1\"}]");
        ZabbixPort.Questions q = new AnsweredQuestions(List.of("77"), a).questions("web1", "77", "{$VCR.AUTO}");

        assertThat(q.resolved().get()).isFalse();
        assertThat(q.inMaintenance().get()).isFalse();
        assertThat(q.globalMacro().get()).isEqualTo("1");
        assertThat(server.getAllServeEvents()).as("one request").hasSize(1);
    }

    @Test
    void anEventTheRequestDidNotListIsLeftForTheRunToAskAboutEvenWithItsHostAnswered() throws Exception {
        ProblemsAndGuard a = answers("[" + host("web1", 0, "0") + "]", "[]", "[]");
        ZabbixPort.Questions q = new AnsweredQuestions(List.of("77"), a).questions("web1", "78", "{$VCR.AUTO}");

        assertThat(q.resolved()).as("78 was not seen open: ask").isNull();
        assertThat(q.inMaintenance()).as("nor is its suppression known").isNull();
        assertThat(q.globalMacro().get()).as("not defined").isNull();
    }

    @Test
    void aHostWhoseMaintenanceFlagIsSetIsAskedWithTheEventSinceThenItMattersWhoseEventItIs() throws Exception {
        ProblemsAndGuard a = answers("[" + host("web1", 1, "9") + "," + host("web2", 1, "0") + "]", "[]", "[]");
        AnsweredQuestions seen = new AnsweredQuestions(List.of("77"), a);

        assertThat(seen.questions("web1", "77", null).inMaintenance()).isNull();
        assertThat(seen.questions("web2", "77", null).inMaintenance().get()).as("the stale flag of a deleted maintenance").isFalse();
        assertThat(seen.questions("web3", "77", null).inMaintenance()).as("a host not in the answer").isNull();
    }

    @Test
    void aMaintenanceThatBeganAMomentAgoCoversTheHostBeforeZabbixSuppressesAnything() throws Exception {
        long now = Instant.now().getEpochSecond();
        String fresh = "[{\"maintenanceid\":\"9\",\"name\":\"m\",\"active_since\":\"" + (now - 10) + "\",\"active_till\":\""
                + (now + 3600) + "\",\"maintenance_type\":\"0\",\"hosts\":[],\"hostgroups\":[{\"groupid\":\"2\"}],"
                + "\"timeperiods\":[{\"timeperiod_type\":\"0\",\"start_date\":\"" + (now - 10) + "\",\"period\":\"3610\"}]}]";
        ProblemsAndGuard a = answers("[" + host("web1", 0, "0") + "]", fresh, "[]");

        assertThat(new AnsweredQuestions(List.of("77"), a).questions("web1", "77", null).inMaintenance().get()).isTrue();
    }

    @Test
    void questionsTheServerRefusedAreLeftForTheRun() throws Exception {
        String refused = "{\"error\":{\"code\":-32500,\"message\":\"Application error.\",\"data\":\"SQL failed\"}}";
        ProblemsAndGuard a = answers(refused, "[]", refused);
        ZabbixPort.Questions q = new AnsweredQuestions(List.of("77"), a).questions("web1", "77", "{$VCR.AUTO}");

        assertThat(q.resolved().get()).isFalse();
        assertThat(q.inMaintenance()).isNull();
        assertThat(q.globalMacro()).isNull();
    }
}
