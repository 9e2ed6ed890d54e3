package org.vcrecovery.vcr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.vcr.yaml.InvalidYamlException;

/** {@code zabbix.trapper: host:port} in vcr.yaml: optional, port 10051 by default, bad values named. */
class TrapperConfigTest {
    static String config(String trapper) {
        return "zabbix:\n  url: http://127.0.0.1/api_jsonrpc.php\n  token-file: /t\n"
                + (trapper == null ? "" : "  trapper: \"" + trapper + "\"\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "127.0.0.1:10051, 127.0.0.1:10051",
            "127.0.0.1, 127.0.0.1:10051",
            "zabbix.example:10052, zabbix.example:10052",
            "[::1]:10053, [::1]:10053",
            "[::1], [::1]:10051"})
    void aTrapperIsHostAndPort(String value, String expected) throws Exception {
        VcrConfig c = ConfigLoader.parse(config(value), Path.of("vcr.yaml"));
        assertThat(c.zabbix().trapper()).hasToString(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:port", "bad host:1", "[::1", ":10051"})
    void aBadTrapperIsAProblemNamingTheField(String value) {
        assertThatThrownBy(() -> ConfigLoader.parse(config(value), Path.of("vcr.yaml")))
                .isInstanceOf(InvalidYamlException.class).hasMessageContaining("trapper")
                .hasMessageContaining("is not host:port");
    }

    @org.junit.jupiter.api.Test
    void noTrapperMeansNone() throws Exception {
        assertThat(ConfigLoader.parse(config(null), Path.of("vcr.yaml")).zabbix().trapper()).isNull();
    }
}
