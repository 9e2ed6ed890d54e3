package org.vcrecovery.zabbix.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/** A server whose version the client does not know gets nothing but {@code apiinfo.version}, and one clear line. */
@WireMockTest
class UnsupportedVersionTest {

    @ParameterizedTest
    @CsvSource({"8.0.0, 8.0.0", "5.4.12, 5.4.12", "7.1.0alpha2, 7.1.0", "7.6.0, 7.6.0"})
    void anUnknownVersionIsRefusedNamingItAndWhatIsSupported(String reported, String shown, WireMockRuntimeInfo wm) {
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("apiinfo.version")))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":\"" + reported + "\",\"id\":1}")));
        String url = wm.getHttpBaseUrl() + "/api_jsonrpc.php";
        ZabbixApi zabbix = ZabbixApi.builder(URI.create(url)).login("vcr", "pw").build();

        assertThatThrownBy(() -> zabbix.hostByName("web1"))
                .isInstanceOfSatisfying(ZabbixApiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION))
                .hasMessage("Zabbix " + shown + " is not supported: vcrecovery knows the API of Zabbix 6.0, 6.2, 6.4, 7.0, 7.2 and"
                        + " 7.4 (API at " + url + "; nothing else was asked of it)");
        assertThatThrownBy(zabbix::version).isInstanceOf(ZabbixApiException.class);
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("user.login"))));
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method",
                equalTo("host.get"))));
    }

    @ParameterizedTest
    @CsvSource({"6.0.14, true", "6.2.9, true", "6.4.21, true", "7.0.9, true", "7.2.3, true", "7.4.0, true",
            "5.4.12, false", "6.1.0, false", "8.0.0, false"})
    void theSupportedSeriesAreTheOnesWhoseChangeListsTheClientFollows(String version, boolean supported) {
        assertThat(ZabbixVersion.parse(version).supported()).isEqualTo(supported);
    }

    @ParameterizedTest
    @CsvSource({"6.0.14, select_acknowledges, selectGroups", "6.2.9, select_acknowledges, selectHostGroups",
            "6.4.21, select_acknowledges, selectHostGroups", "7.0.9, selectAcknowledges, selectHostGroups",
            "7.2.3, selectAcknowledges, selectHostGroups", "7.4.0, selectAcknowledges, selectHostGroups"})
    void eachVersionGetsTheParameterNamesItTakes(String version, String acknowledges, String hostGroups) {
        ZabbixVersion v = ZabbixVersion.parse(version);
        assertThat(v.eventAcknowledgesParameter()).isEqualTo(acknowledges);
        assertThat(v.hostGroupsParameter()).isEqualTo(hostGroups);
        assertThat(v.loginTakesUsername()).isTrue();
    }
}
