package org.vcrecovery.vcr.pending;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixVersion;

/**
 * Which problem {@code vcr recover --pending} takes and which {@code vcr approve --held} takes.
 * Held: one whose latest vcr message (by time, then by acknowledgement id within a second) is a
 * held run's; not one a later vcr run handled otherwise, nor one with only human messages or a
 * message that merely mentions "held". And a message counts as vcr's only when vcr's own API user
 * wrote it: anyone else's "vcr: ..." (any user allowed to acknowledge can type one) neither hides
 * a pending problem nor makes one look held.
 */
class PendingEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** vcr's API user in these tests; "9" is another Zabbix user. */
    private static final String VCR = "3";

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "held once|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web held: 3 failures in 60 s looks like a partition\"}]|true",
        "held, then a human note|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"},{\"acknowledgeid\":\"6\",\"userid\":\"9\",\"clock\":\"101\",\"message\":\"looking\"}]|true",
        "held, then recovered|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"},{\"acknowledgeid\":\"6\",\"userid\":\"3\",\"clock\":\"101\",\"message\":\"vcr: web recovered on web-warm\"}]|false",
        "held then failed, same second|[{\"acknowledgeid\":\"6\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web not recovered: no standby\"},{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"}]|false",
        "failed, then held|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web not recovered\"},{\"acknowledgeid\":\"6\",\"userid\":\"3\",\"clock\":\"102\",\"message\":\"vcr: web held: y\"}]|true",
        "a human quoting it|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"why was vcr: web held: ?\"}]|false",
        "held, forged by another user|[{\"acknowledgeid\":\"5\",\"userid\":\"9\",\"clock\":\"100\",\"message\":\"vcr: web held: 3 failures in 60 s\"}]|false",
        "recovered, then a forged hold|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web recovered on web-warm\"},{\"acknowledgeid\":\"6\",\"userid\":\"9\",\"clock\":\"101\",\"message\":\"vcr: web held: x\"}]|false",
        "held, then a forged recovery|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"},{\"acknowledgeid\":\"6\",\"userid\":\"9\",\"clock\":\"101\",\"message\":\"vcr: web recovered on web-warm\"}]|true",
        "held, no userid|[{\"acknowledgeid\":\"5\",\"clock\":\"100\",\"message\":\"vcr: web held: x\"}]|false",
        "a held host-down (its ack names the host run)|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: host-down.kvm1 held: automatic recovery is switched off\"}]|true",
        "a host-down held, then recovered|[{\"acknowledgeid\":\"5\",\"userid\":\"3\",\"clock\":\"100\",\"message\":\"vcr: host-down.kvm1 held: x\"},{\"acknowledgeid\":\"6\",\"userid\":\"3\",\"clock\":\"101\",\"message\":\"vcr: host-down kvm1: 5 of 5 VMs recovered in 900 ms\"}]|false",
        "no message|[]|false"})
    void aProblemIsHeldWhenVcrsLatestMessageSaysSo(String name, String acks, boolean held) throws Exception {
        JsonNode problem = JSON.readTree("{\"eventid\":\"1\",\"acknowledges\":" + acks + "}");
        assertThat(PendingEvents.lastHeld(problem, VCR)).isEqualTo(held);
        assertThat(PendingEvents.lastHeld(problem, null)).as("vcr's user unknown: nothing is held").isFalse();
    }

    /** A problem of VM {@code vm} with one acknowledgement by {@code user} saying {@code message}. */
    private static String problem(String eventId, String vm, String user, String message) {
        return "{\"eventid\":\"" + eventId + "\",\"tags\":[{\"tag\":\"vcrecovery\",\"value\":\"vm-down\"},{\"tag\":\"vm\",\"value\":\""
                + vm + "\"}],\"acknowledges\":[{\"acknowledgeid\":\"" + eventId + "0\",\"userid\":\"" + user
                + "\",\"clock\":\"100\",\"message\":\"" + message + "\"}]}";
    }

    private static final String PROBLEMS = "[" + String.join(",",
            problem("11", "web-vm", "9", "vcr: web recovered on web-warm"),
            problem("12", "db-vm", "3", "vcr: db not recovered: no standby answered"),
            problem("13", "mail-vm", "9", "vcr: mail held: 3 failures in 60 s looks like a partition"),
            problem("14", "ftp-vm", "3", "vcr: ftp held: 3 failures in 60 s looks like a partition")) + "]";

    /**
     * A new client of a Zabbix answering {@code problem.get} with {@link #PROBLEMS} and
     * {@code token.get} with {@code tokenAnswer} (the batch's ids 1 and 2: a client's first request).
     */
    private ZabbixApi zabbix(String tokenAnswer) {
        if (!server.isRunning()) server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[{\"jsonrpc\":\"2.0\",\"result\":" + PROBLEMS
                        + ",\"id\":1},{\"jsonrpc\":\"2.0\"," + tokenAnswer + ",\"id\":2}]")));
        return ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).version(ZabbixVersion.parse("7.0"))
                .token("token-0123456789").build();
    }

    private static List<String> vms(PendingEvents.Result r) {
        return r.events().stream().map(PendingEvents.Event::vm).toList();
    }

    /** What {@code --pending} and {@code approve --held} each read from that Zabbix: {pending, held}. */
    private PendingEvents.Result[] pendingAndHeld(String tokenAnswer) throws Exception {
        try (ZabbixApi api = zabbix(tokenAnswer); ZabbixApi second = zabbix(tokenAnswer)) {
            return new PendingEvents.Result[] {PendingEvents.read(api, api.problemsAndGuard(PendingEvents.query(), List.of(), null)),
                PendingEvents.findHeld(second)};
        }
    }

    @Test
    void anotherUsersVcrMessageNeitherHidesAPendingProblemNorMakesOneHeld() throws Exception {
        PendingEvents.Result[] r = pendingAndHeld("\"result\":[{\"userid\":\"3\"}]");

        assertThat(vms(r[0])).as("web's 'recovered' and mail's 'held' were typed by user 9").containsExactly("web-vm", "mail-vm");
        assertThat(vms(r[1])).as("only ftp was held by vcr").containsExactly("ftp-vm");
        assertThat(r[0].warning()).isNull();
        assertThat(server.getAllServeEvents().get(0).getRequest().getBodyAsString())
                .as("who vcr is rides in the problem request").contains("\"method\":\"token.get\"");
    }

    @Test
    void whenVcrsUserCannotBeToldNoMessageIsVcrsAndTheReportSaysWhy() throws Exception {
        String refused = "\"error\":{\"code\":-32500,\"message\":\"Application error.\",\"data\":\"No permissions to call \\\"token.get\\\".\"}";
        PendingEvents.Result[] r = pendingAndHeld(refused);

        assertThat(vms(r[0])).containsExactly("web-vm", "db-vm", "mail-vm", "ftp-vm");
        assertThat(r[1].events()).isEmpty();
        assertThat(r[0].warning()).startsWith("vcr's own acknowledgements cannot be told from others' (")
                .contains("No permissions to call").endsWith("): no 'vcr: ' message is taken as vcr's");
    }
}
