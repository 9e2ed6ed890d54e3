package org.vcrecovery.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatsTest {
    @ParameterizedTest(name = "{0} -> median {1}, p95 {2}")
    @CsvSource(delimiter = ';', value = {
        "5; 5; 5",
        "3 1 2; 2; 3",
        "4 1 3 2; 2.5; 4",
        "10 20 30 40 50 60 70 80 90 100 110 120 130 140 150 160 170 180 190 200; 105; 190",
        "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 9000; 1; 1",
        "2000 900 1100 4000 1000; 1100; 4000"})
    void medianAndNearestRankP95(String values, double median, long p95) {
        List<Long> v = java.util.Arrays.stream(values.split(" ")).map(Long::valueOf).toList();
        Stats s = Stats.of(v);
        assertThat(s.median()).isEqualTo(median);
        assertThat(s.p95()).isEqualTo(p95);
        assertThat(s.count()).isEqualTo(v.size());
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class).hasMessage("millis is empty");
    }

    @Test
    void legsRunFromMarkToMarkAndAGapBreaksTheChain() {
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        Map<Mark, Instant> m = new EnumMap<>(Mark.class);
        m.put(Mark.INJECTED, t0);
        m.put(Mark.LISTENER_SAW, t0.plusMillis(3));
        m.put(Mark.PROBLEM, t0.plusMillis(700));
        m.put(Mark.VCR_STARTED, t0.plusMillis(2500));
        m.put(Mark.STANDBY_UP, t0.plusMillis(2600));
        RunResult r = new RunResult(1, "7", m, t0.plusMillis(2800), "127.0.20.2", true, true, "OK", null);
        assertThat(r.legs()).containsExactly(Map.entry(Mark.LISTENER_SAW, 3L), Map.entry(Mark.PROBLEM, 697L),
                Map.entry(Mark.STANDBY_UP, 100L));
        assertThat(r.totalMillis()).isEqualTo(2800);
        assertThat(r.ordered()).as("marks missing").isFalse();
    }
}
