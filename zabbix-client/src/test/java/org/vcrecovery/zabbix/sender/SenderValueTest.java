package org.vcrecovery.zabbix.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SenderValueTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(null, "k", "v", null, null, "host == null"),
                Arguments.of("", "k", "v", null, null, "host is empty"),
                Arguments.of("h", null, "v", null, null, "key == null"),
                Arguments.of("h", "", "v", null, null, "key is empty"),
                Arguments.of("h", "k", null, null, null, "value == null"),
                Arguments.of("h", "k", "v", -1L, null, "clock must be >= 0"),
                Arguments.of("h", "k", "v", null, 5, "ns given without clock"),
                Arguments.of("h", "k", "v", 1L, -1, "ns must be 0..999999999: -1"),
                Arguments.of("h", "k", "v", 1L, 1_000_000_000, "ns must be 0..999999999: 1000000000"));
    }

    @ParameterizedTest(name = "{5}")
    @MethodSource("invalid")
    void invalidValuesAreRefusedNamingTheField(String host, String key, String value, Long clock, Integer ns, String message) {
        assertThatThrownBy(() -> new SenderValue(host, key, value, clock, ns))
                .isInstanceOf(RuntimeException.class).hasMessageContaining(message);
    }

    @Test
    void anInstantBecomesSecondsAndNanoseconds() {
        SenderValue v = SenderValue.at("h", "k", "", Instant.ofEpochSecond(1700000000L, 999_999_999));
        assertThat(v.clock()).isEqualTo(1700000000L);
        assertThat(v.ns()).isEqualTo(999_999_999);
        assertThat(v.value()).isEmpty();
    }

    static Stream<Arguments> infos() {
        return Stream.of(
                Arguments.of("processed: 1; failed: 0; total: 1; seconds spent: 0.000055", 1, 0, 1, 0.000055),
                Arguments.of("processed: 0; failed: 250; total: 250; seconds spent: 0.012345", 0, 250, 250, 0.012345),
                Arguments.of("Processed 1 Failed 0", -1, 0, 0, 0.0));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("infos")
    void infoStringsAreParsed(String info, int processed, int failed, int total, double seconds) {
        if (processed < 0) {
            assertThatThrownBy(() -> SenderResult.parseInfo(info)).hasMessageContaining("not a sender info string");
            return;
        }
        SenderResult r = SenderResult.parseInfo(info);
        assertThat(r).isEqualTo(new SenderResult(processed, failed, total, seconds, true, info));
    }
}
