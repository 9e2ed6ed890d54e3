package org.vcrecovery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"250ms,250,250ms", "3s,3000,3s", "5m,300000,5m", "1h,3600000,1h", "1500ms,1500,1500ms", "60s,60000,1m"})
    void parsesAndFormatsTheShortestExactForm(String text, long millis, String formatted) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(formatted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"60", "3 sec", "-1s", "1.5s", "", "s"})
    void refusesANumberWithoutAUnitAndOtherForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("250ms, 3s, 5m");
    }

    @ParameterizedTest
    @CsvSource({"0,0", "5,5000", "' 60 ',60000", "250ms,250", "5m,300000"})
    void theListenersFormAlsoReadsABareNumberAsSeconds(String text, long millis) {
        assertThat(Durations.parseBareSeconds(text, Duration.ZERO, Duration.ofHours(1))).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 weeks", "-1", "1.5", "", "9999999999"})
    void theListenersFormRefusesTheSameOtherForms(String text) {
        assertThatThrownBy(() -> Durations.parseBareSeconds(text, Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("250ms, 3s, 5m");
    }

    @org.junit.jupiter.api.Test
    void aDurationOutsideItsRangeSaysTheRangeInTheSameForm() {
        assertThat(Durations.parse("2s", Duration.ofMillis(10), Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Durations.parse("6m", Duration.ofMillis(10), Duration.ofMinutes(5)))
                .hasMessage("6m is out of range: 10ms to 5m");
    }
}
