package org.vcrecovery.vcr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.vcr.yaml.InvalidYamlException;

/** {@code host-down:} in vcr.yaml: the concurrency limits of {@code vcr recover --host-down}, each validated with file:line. */
class HostDownConfigTest {

    @Test
    void noSectionMeansTheDefaults() throws Exception {
        assertThat(ConfigLoader.parse("state-dir: /x\n", Path.of("vcr.yaml")).hostDown()).isEqualTo(VcrConfig.HostDown.DEFAULT);
    }

    @Test
    void eachFieldSetsItsLimitAndAMissingOneKeepsItsDefault() throws Exception {
        assertThat(ConfigLoader.parse("host-down:\n  parallel: 32\n  per-standby-host: 4\n  per-zone: 10\n  per-backend: 12\n",
                Path.of("vcr.yaml")).hostDown()).isEqualTo(new VcrConfig.HostDown(32, 4, 10, 12));
        assertThat(ConfigLoader.parse("host-down: {per-zone: 2}\n", Path.of("vcr.yaml")).hostDown())
                .isEqualTo(new VcrConfig.HostDown(16, 8, 2, 16));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "parallel: 0|vcr.yaml:2: host-down.parallel: '0' is not a whole number from 1 to 1000",
        "per-zone: many|vcr.yaml:2: host-down.per-zone: 'many' is not a whole number from 1 to 1000",
        "per-standby-host: 1001|vcr.yaml:2: host-down.per-standby-host: '1001' is not a whole number from 1 to 1000",
        "per-host: 3|vcr.yaml:2: host-down.per-host: unknown key"})
    void aBadFieldIsOneLineNamingFileLineAndField(String field, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse("host-down:\n  " + field + "\n", Path.of("vcr.yaml")))
                .isInstanceOf(InvalidYamlException.class).hasMessageContaining(message);
    }
}
