package org.vcrecovery.vcr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.vcr.yaml.InvalidYamlException;

/** {@code breaker:} in vcr.yaml: defaults when absent, each field validated with one line naming it. */
class BreakerConfigTest {

    @Test
    void noBreakerSectionMeansThreeFailuresInSixtySeconds() throws Exception {
        VcrConfig c = ConfigLoader.parse("state-dir: /x\n", Path.of("vcr.yaml"));
        assertThat(c.breaker()).isEqualTo(new VcrConfig.Breaker(3, Duration.ofSeconds(60)));
    }

    @Test
    void aBreakerSectionSetsLimitAndWindowAndAMissingFieldKeepsItsDefault() throws Exception {
        assertThat(ConfigLoader.parse("breaker:\n  limit: 10\n  window: 2m\n", Path.of("vcr.yaml")).breaker())
                .isEqualTo(new VcrConfig.Breaker(10, Duration.ofMinutes(2)));
        assertThat(ConfigLoader.parse("breaker: {limit: 5}\n", Path.of("vcr.yaml")).breaker())
                .isEqualTo(new VcrConfig.Breaker(5, Duration.ofSeconds(60)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "limit: 0|vcr.yaml:2: breaker.limit: '0' is not a whole number from 1 to 10000",
        "limit: three|vcr.yaml:2: breaker.limit: 'three' is not a whole number from 1 to 10000",
        "window: 0s|vcr.yaml:2: breaker.window: 0s is out of range: 1s to 24h",
        "window: soon|vcr.yaml:2: breaker.window: 'soon' is not a duration",
        "limt: 3|vcr.yaml:2: breaker.limt: unknown key (did you mean limit?)"})
    void aBadBreakerFieldIsOneLineNamingIt(String field, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse("breaker:\n  " + field + "\n", Path.of("vcr.yaml")))
                .isInstanceOf(InvalidYamlException.class).hasMessageContaining(message);
    }
}
