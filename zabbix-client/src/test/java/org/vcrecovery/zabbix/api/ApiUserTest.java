package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which Zabbix user the client is ({@link ZabbixApi#userId()}, {@link ProblemsAndGuard#apiUserId()}):
 * what tells vcr's own acknowledgements from anyone else's. Learnt without a request of its own:
 * with a token, {@code token.get} of that token rides in the problem batch; with a login,
 * {@code user.login} names it. Asked once per client; a refusal is a failure, never a guess.
 */
class ApiUserTest {
    private static final Map<String, Object> PROBLEMS = Map.of("output", List.of("eventid"));

    private WireMockServer server;

    private ZabbixApi.Builder serve(ZabbixContract c) {
        server = new WireMockServer(wireMockConfig().dynamicPort().extensions(c));
        server.start();
        server.stubFor(post(urlEqualTo("/api_jsonrpc.php")).willReturn(ok()));
        return ZabbixApi.builder(URI.create(server.baseUrl() + "/api_jsonrpc.php")).version(c.version());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.0.14", "7.0.9", "7.4.0"})
    void withATokenTheUserIdRidesInTheProblemRequestAndIsAskedOnce(String version) throws Exception {
        ZabbixContract c = new ZabbixContract(version).answer("problem.get", "[{\"eventid\":\"5\"}]")
                .answer("token.get", "[{\"userid\":\"42\"}]");
        ZabbixApi z = serve(c).token(ZabbixContract.TOKEN).build();

        ProblemsAndGuard a = z.problemsAndGuard(PROBLEMS, Set.of(), null);
        ProblemsAndGuard again = z.problemsAndGuard(PROBLEMS, Set.of(), null);

        assertThat(a.apiUserId()).isEqualTo("42");
        assertThat(again.apiUserId()).isEqualTo("42");
        assertThat(z.userId()).isEqualTo("42");
        assertThat(server.getAllServeEvents()).as("HTTP requests").hasSize(2);
        assertThat(c.methods()).containsExactly("problem.get", "token.get", "problem.get");
        List<LoggedRequest> first = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlEqualTo("/api_jsonrpc.php")));
        assertThat(first.get(0).getBodyAsString()).contains("\"token\":\"" + ZabbixContract.TOKEN + "\"");
        assertThat(c.violations()).isEmpty();
    }

    @Test
    void withALoginTheLoginNamesTheUserAndNothingMoreIsAsked() throws Exception {
        ZabbixContract c = new ZabbixContract("7.0.9");
        ZabbixApi z = serve(c).login("vcr", "secret").build();

        ProblemsAndGuard a = z.problemsAndGuard(PROBLEMS, Set.of(), null);

        assertThat(a.apiUserId()).isEqualTo(ZabbixContract.USER_ID);
        assertThat(c.methods()).containsExactly("user.login", "problem.get");
        assertThat(c.violations()).isEmpty();
    }

    @Test
    void aRoleThatMayNotReadItsTokenLeavesTheUserUnknownAndTheProblemsAnswered() throws Exception {
        ZabbixContract c = new ZabbixContract("7.0.9").answer("problem.get", "[{\"eventid\":\"5\"}]").refuse("token.get");
        ZabbixApi z = serve(c).token(ZabbixContract.TOKEN).build();

        ProblemsAndGuard a = z.problemsAndGuard(PROBLEMS, Set.of(), null);

        assertThat(a.problems()).hasSize(1);
        assertThatThrownBy(a::apiUserId).isInstanceOf(ZabbixApiException.class).hasMessageContaining("No permissions");
        assertThatThrownBy(z::userId).isInstanceOf(ZabbixApiException.class);
    }

    @Test
    void anAnswerThatNamesNoSingleUserIsNotFoundNotAGuess() throws Exception {
        ZabbixContract c = new ZabbixContract("7.0.9").answer("token.get", "[{\"userid\":\"1\"},{\"userid\":\"2\"}]");
        ZabbixApi z = serve(c).token(ZabbixContract.TOKEN).build();

        assertThatThrownBy(z::userId).isInstanceOfSatisfying(ZabbixApiException.class,
                e -> assertThat(e.reason()).isEqualTo(ZabbixApiException.Reason.NOT_FOUND));
    }
}
