package org.vcrecovery.vcr.standby.lxd;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The LXD backend against WireMock playing LXD's REST API (answers shaped as LXD 5.0 gives them);
 * LxdStandbyIT runs it against the sandbox's real daemon.
 */
@WireMockTest
class LxdBackendTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static final String OP = "/1.0/operations/6916c8a6-9b7d-4abd-90b3-aeb74a1b2c3d";

    StandbyBackend lxd;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        lxd = StandbyBackends.installed().create("lxd", Map.of("url", wm.getHttpBaseUrl()));
    }

    @AfterEach
    void tearDown() {
        lxd.close();
    }

    private static void instance(String name, String status) {
        stubFor(get(urlEqualTo("/1.0/instances/" + name)).willReturn(okJson(
                "{\"type\":\"sync\",\"status\":\"Success\",\"status_code\":200,\"metadata\":{\"name\":\"" + name
                        + "\",\"status\":\"" + status + "\",\"config\":{\"user.vcr.address\":\"127.0.8.4\"}}}")));
    }

    private static void asyncAccepted(String action) {
        stubFor(put(urlEqualTo("/1.0/instances/web/state"))
                .withRequestBody(matchingJsonPath("$.action", com.github.tomakehurst.wiremock.client.WireMock.equalTo(action)))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody(
                        "{\"type\":\"async\",\"status\":\"Operation created\",\"status_code\":100,\"operation\":\"" + OP
                                + "\",\"metadata\":{\"id\":\"6916c8a6\",\"status\":\"Running\"}}")));
    }

    private static void operationEnds(String status, String err) {
        stubFor(get(urlPathEqualTo(OP + "/wait")).willReturn(okJson(
                "{\"type\":\"sync\",\"status\":\"Success\",\"status_code\":200,\"metadata\":{\"status\":\"" + status
                        + "\",\"err\":\"" + err + "\"}}")));
    }

    @Test
    void statusMapsLxdStates() {
        instance("web", "Running");
        instance("db", "Frozen");
        instance("old", "Stopped");
        assertThat(lxd.status("web")).isEqualTo(StandbyState.RUNNING);
        assertThat(lxd.status("db")).isEqualTo(StandbyState.PAUSED);
        assertThat(lxd.status("old")).isEqualTo(StandbyState.STOPPED);
    }

    @Test
    void anLxdErrorAnswerOf404IsAbsentForStatusAndNotFoundForStart() {
        stubFor(get(urlEqualTo("/1.0/instances/ghost")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"status\":\"\",\"status_code\":0,\"error\":\"Instance not found\",\"error_code\":404}")));
        assertThat(lxd.status("ghost")).isEqualTo(StandbyState.ABSENT);
        assertThatThrownBy(() -> lxd.start("ghost", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND));
    }

    @Test
    void startPutsTheStartActionAndWaitsOnTheOperation() {
        instance("web", "Stopped");
        asyncAccepted("start");
        operationEnds("Success", "");
        lxd.start("web", T);
        verify(putRequestedFor(urlEqualTo("/1.0/instances/web/state"))
                .withRequestBody(equalToJson("{\"action\":\"start\",\"timeout\":5,\"force\":false}")));
        verify(getRequestedFor(urlPathEqualTo(OP + "/wait")).withQueryParam("timeout",
                com.github.tomakehurst.wiremock.client.WireMock.matching("[1-5]")));
    }

    @Test
    void startOfAFrozenInstanceUnfreezesIt() {
        instance("web", "Frozen");
        asyncAccepted("unfreeze");
        operationEnds("Success", "");
        lxd.start("web", T);
        verify(putRequestedFor(urlEqualTo("/1.0/instances/web/state")).withRequestBody(matchingJsonPath("$.action",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("unfreeze"))));
    }

    @Test
    void stopForcesTheStop() {
        instance("web", "Running");
        asyncAccepted("stop");
        operationEnds("Success", "");
        lxd.stop("web", T);
        verify(putRequestedFor(urlEqualTo("/1.0/instances/web/state"))
                .withRequestBody(equalToJson("{\"action\":\"stop\",\"timeout\":5,\"force\":true}")));
    }

    @Test
    void suspendFreezes() {
        instance("web", "Running");
        asyncAccepted("freeze");
        operationEnds("Success", "");
        lxd.suspend("web", T);
        verify(putRequestedFor(urlEqualTo("/1.0/instances/web/state")).withRequestBody(matchingJsonPath("$.action",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("freeze"))));
    }

    @Test
    void aFailedOperationIsFailedWithLxdsReason() {
        instance("web", "Stopped");
        asyncAccepted("start");
        operationEnds("Failure", "Failed to run: forkstart web: exit status 1");
        assertThatThrownBy(() -> lxd.start("web", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED))
                .hasMessage("lxd: start of 'web' ended Failure: Failed to run: forkstart web: exit status 1");
    }

    @Test
    void aForbiddenAnswerIsRefused() {
        instance("web", "Stopped");
        stubFor(put(urlEqualTo("/1.0/instances/web/state")).willReturn(aResponse().withStatus(403)
                .withBody("{\"type\":\"error\",\"error\":\"not authorized\",\"error_code\":403}")));
        assertThatThrownBy(() -> lxd.start("web", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.REFUSED))
                .hasMessage("lxd: 'web': not authorized (403)");
    }

    @Test
    void aSlowDaemonIsATimeoutAtTheDeadline() {
        instance("web", "Stopped");
        asyncAccepted("start");
        stubFor(get(urlPathEqualTo(OP + "/wait")).willReturn(okJson("{\"type\":\"sync\",\"metadata\":{\"status\":\"Success\"}}")
                .withFixedDelay(3000)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> lxd.start("web", Duration.ofMillis(500)))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.TIMEOUT));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
    }

    @Test
    void anOperationStillRunningAfterTheWaitIsATimeout() {
        instance("web", "Stopped");
        asyncAccepted("start");
        operationEnds("Running", "");
        assertThatThrownBy(() -> lxd.start("web", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.TIMEOUT));
    }

    @Test
    void garbageIsFailedNotACrash() {
        stubFor(get(urlEqualTo("/1.0/instances/web")).willReturn(aResponse().withStatus(200).withBody("<html>proxy error</html>")));
        assertThatThrownBy(() -> lxd.status("web"))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED))
                .hasMessageContaining("without a JSON object");
    }

    @Test
    void theAddressComesFromUserConfigThenFromTheState() {
        instance("web", "Running");
        assertThat(lxd.address("web")).contains("127.0.8.4");
        stubFor(get(urlEqualTo("/1.0/instances/db")).willReturn(okJson("{\"type\":\"sync\",\"metadata\":{\"name\":\"db\",\"config\":{},"
                + "\"expanded_devices\":{\"root\":{\"path\":\"/\",\"pool\":\"default\",\"type\":\"disk\"},"
                + "\"net0\":{\"name\":\"eth1\",\"network\":\"lxdbr0\",\"type\":\"nic\"}}}}")));
        stubFor(get(urlEqualTo("/1.0/instances/db/state")).willReturn(okJson("{\"type\":\"sync\",\"metadata\":{\"status\":\"Running\","
                + "\"network\":{\"lo\":{\"addresses\":[{\"family\":\"inet\",\"address\":\"127.0.0.1\",\"scope\":\"local\"}]},"
                + "\"eth0\":{\"addresses\":[{\"family\":\"inet\",\"address\":\"192.0.2.9\",\"scope\":\"global\"}]},"
                + "\"eth1\":{\"addresses\":[{\"family\":\"inet6\",\"address\":\"fd42::1\",\"scope\":\"global\"},"
                + "{\"family\":\"inet\",\"address\":\"10.1.2.3\",\"scope\":\"global\"}]}}}}")));
        assertThat(lxd.address("db")).contains("10.1.2.3");
    }

    @Test
    void anInstanceWithoutANicOfItsOwnHasNoAddressFromTheHostsInterfaces() {
        // As LXD 5.0 answers for an instance sharing the host's network namespace (the sandbox's):
        // no nic device, and a state listing the host's interfaces.
        stubFor(get(urlEqualTo("/1.0/instances/hostnet")).willReturn(okJson("{\"type\":\"sync\",\"metadata\":{\"name\":\"hostnet\","
                + "\"status\":\"Running\",\"config\":{},\"devices\":{},"
                + "\"expanded_devices\":{\"root\":{\"path\":\"/\",\"pool\":\"default\",\"type\":\"disk\"}}}}")));
        stubFor(get(urlEqualTo("/1.0/instances/hostnet/state")).willReturn(okJson("{\"type\":\"sync\",\"metadata\":{\"status\":\"Running\","
                + "\"network\":{\"eth0\":{\"addresses\":[{\"family\":\"inet\",\"address\":\"192.0.2.2\",\"scope\":\"global\"}]},"
                + "\"lo\":{\"addresses\":[{\"family\":\"inet\",\"address\":\"127.0.0.1\",\"scope\":\"local\"}]}}}}")));
        assertThat(lxd.address("hostnet")).isEmpty();
    }

    @Test
    void listReadsRecursiveInstances() {
        stubFor(get(urlEqualTo("/1.0/instances?recursion=1")).willReturn(okJson("{\"type\":\"sync\",\"metadata\":["
                + "{\"name\":\"web\",\"status\":\"Running\",\"config\":{\"user.vcr.address\":\"127.0.8.4\"}},"
                + "{\"name\":\"db\",\"status\":\"Stopped\",\"config\":{}}]}")));
        assertThat(lxd.list()).containsExactly(
                new StandbyInfo("web", StandbyState.RUNNING, java.util.Optional.of("127.0.8.4")),
                new StandbyInfo("db", StandbyState.STOPPED, java.util.Optional.empty()));
    }

    @Test
    void theProjectGoesOnEveryRequest(WireMockRuntimeInfo wm) {
        stubFor(get(urlEqualTo("/1.0/instances/web?project=staging")).willReturn(okJson(
                "{\"type\":\"sync\",\"metadata\":{\"name\":\"web\",\"status\":\"Running\"}}")));
        try (StandbyBackend b = StandbyBackends.installed().create("lxd", Map.of("url", wm.getHttpBaseUrl(), "project", "staging"))) {
            assertThat(b.status("web")).isEqualTo(StandbyState.RUNNING);
        }
    }

    @Test
    void anUnreachableDaemonIsUnreachable() {
        try (StandbyBackend b = StandbyBackends.installed().create("lxd", Map.of("url", "unix:/nonexistent/lxd.socket"))) {
            assertThatThrownBy(() -> b.status("web"))
                    .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.UNREACHABLE));
        }
    }

    @Test
    void httpsNeedsAClientCertificate() {
        assertThatThrownBy(() -> StandbyBackends.installed().create("lxd", Map.of("url", "https://127.0.0.1:8443")))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID))
                .hasMessage("lxd: option https needs both client-cert and client-key");
    }

    @Test
    void theClientKeyIsASecretOption() {
        assertThat(new LxdBackendFactory().secretKeys()).containsExactly("client-key");
    }
}
