package org.vcrecovery.vcr.zabbix;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.vcr.VcrConsole;

/**
 * {@code vcr zabbix install} and the server's version: one the client does not know, or something
 * that is not a Zabbix API, exits non-zero with one line and writes nothing (never "up to date");
 * 7.2 and 7.4 get no {@code auth} field and no {@code groups} import rule.
 */
@WireMockTest
class InstallVersionTest {
    @TempDir
    Path tmp;
    String url;
    Path tokenFile;
    final VcrConsole console = new VcrConsole();

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) throws Exception {
        url = wm.getHttpBaseUrl() + "/api_jsonrpc.php";
        tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    }

    int run() {
        return console.vcr("zabbix", "install", "--url", url, "--token-file", tokenFile.toString(),
                "--templates", TemplatesTest.DIR.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.0.0", "5.4.12"})
    void anUnknownVersionExitsTwoNamingItAndWhatIsSupportedAndImportsNothing(String version) throws Exception {
        InstallCommandTest.upToDateServer(version); // answers that would otherwise read as "nothing to do"

        assertThat(run()).as(console.err()).isEqualTo(2);
        assertThat(console.err()).isEqualTo("vcr: Zabbix " + version + " is not supported: vcrecovery knows the API of"
                + " Zabbix 6.0, 6.2, 6.4, 7.0, 7.2 and 7.4 (API at " + url + "; nothing else was asked of it)\n");
        assertThat(console.out()).isEmpty();
        verify(1, anyRequestedFor(urlEqualTo("/api_jsonrpc.php")));
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("apiinfo.version"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.2.3", "7.4.0"})
    void onZabbix72And74NoRequestCarriesTheRemovedAuthFieldOrGroupsRule(String version) {
        InstallCommandTest.emptyServer(version);

        assertThat(run()).as(console.err()).isZero();
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.auth")));
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.params.rules.groups")));
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withHeader("Authorization", absent())
                .withRequestBody(matchingJsonPath("$.method", notMatching("apiinfo\\.version"))));
        verify(4, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("configuration.import"))).withRequestBody(matchingJsonPath("$.params.rules.host_groups")));
    }

    @Test
    void somethingThatIsNotAZabbixApiIsAFailureNotUpToDate() throws Exception {
        InstallCommandTest.upToDateServer("6.0.14");
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>It works!</body></html>")));

        int exit = run();

        assertThat(exit).as(console.err()).isNotZero();
        assertThat(console.err().lines().toList()).hasSize(1).first().asString().startsWith("vcr: ").contains("not JSON");
        assertThat(console.out()).doesNotContain("up to date");
        InstallCommandTest.verifyNoWrites();
    }

}
