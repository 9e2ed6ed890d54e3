package org.vcrecovery.vcr.standby.lxd;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The LXD backend over HTTPS with a PEM client certificate and a pinned server certificate,
 * against WireMock requiring client authentication (test keys in {@code lxd-tls/}).
 */
class LxdHttpsTest {
    private static final Path TLS = resource("lxd-tls");

    @RegisterExtension
    static WireMockExtension lxd = WireMockExtension.newInstance().options(options()
            .httpDisabled(true).dynamicHttpsPort()
            .keystorePath(TLS.resolve("server.p12").toString()).keystorePassword("changeit")
            .keyManagerPassword("changeit").keystoreType("PKCS12")
            .needClientAuth(true)
            .trustStorePath(TLS.resolve("client-trust.p12").toString()).trustStorePassword("changeit")
            .trustStoreType("PKCS12")).build();

    @TempDir
    Path dir;
    Path key;

    @BeforeEach
    void privateKeyCopy() throws Exception {
        // git does not keep mode 600: copy the key and make it owner-only, as an operator would.
        key = dir.resolve("client.key");
        Files.copy(TLS.resolve("client.key"), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        lxd.stubFor(get(urlEqualTo("/1.0/instances/web")).willReturn(okJson(
                "{\"type\":\"sync\",\"metadata\":{\"name\":\"web\",\"status\":\"Running\"}}")));
    }

    private Map<String, String> config(String serverCert) {
        return Map.of("url", "https://127.0.0.1:" + lxd.getHttpsPort(),
                "client-cert", TLS.resolve("client.crt").toString(),
                "client-key", key.toString(),
                "server-cert", TLS.resolve(serverCert).toString());
    }

    @Test
    void theClientCertificateIsPresentedAndThePinnedServerTrusted() {
        try (StandbyBackend b = StandbyBackends.installed().create("lxd", config("server.crt"))) {
            assertThat(b.status("web")).isEqualTo(StandbyState.RUNNING);
        }
    }

    @Test
    void aServerWithAnotherCertificateIsNotTrusted() {
        try (StandbyBackend b = StandbyBackends.installed().create("lxd", config("other.crt"))) {
            assertThatThrownBy(() -> b.status("web"))
                    .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.UNREACHABLE));
        }
    }

    @Test
    void aKeyReadableByOthersIsRefusedBeforeAnyConnection() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> StandbyBackends.installed().create("lxd", config("server.crt")))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID))
                .hasMessageContaining("client-key " + key + " is accessible by group or others (mode 0644): run chmod 600 " + key);
    }

    @Test
    void aKeyOwnedByAnotherUserIsRefusedBeforeAnyConnection() throws Exception {
        Files.setOwner(key, java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThatThrownBy(() -> StandbyBackends.installed().create("lxd", config("server.crt")))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID))
                .hasMessageContaining("client-key " + key + " is owned by nobody, not by " + System.getProperty("user.name"));
    }

    @Test
    void aKeyThatIsNotPkcs8SaysHowToConvertIt() throws Exception {
        Files.writeString(key, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> StandbyBackends.installed().create("lxd", config("server.crt")))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID))
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                .hasMessageNotContaining("MHcCAQEE");
    }

    private static Path resource(String name) {
        try {
            return Path.of(LxdHttpsTest.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
