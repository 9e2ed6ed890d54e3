package org.vcrecovery.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The drill judges its figures against the targets of the Zabbix version and mode it ran on, says
 * "no target" where none was set, and shows vcr's part (action ran vcr → DNS switched) on its own line.
 */
class ReportTargetsTest {
    private static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");

    /** A served run: each mark 20 ms after the one before, the client at {@code clientMs}; action ran vcr at 60 ms. */
    private static RunResult run(int n, long clientMs, long vcrPartMs) {
        Map<Mark, Instant> marks = new EnumMap<>(Mark.class);
        for (Mark m : Mark.values()) marks.put(m, T0.plusMillis(20L * m.ordinal()));
        long ran = 20L * Mark.COMMAND_RAN.ordinal();
        marks.put(Mark.DNS_SWITCHED, T0.plusMillis(ran + vcrPartMs));
        marks.put(Mark.ACKNOWLEDGED, T0.plusMillis(ran + vcrPartMs + 10));
        marks.put(Mark.PORT_VERIFIED, T0.plusMillis(ran + vcrPartMs - 1));
        marks.put(Mark.STANDBY_UP, T0.plusMillis(ran + vcrPartMs - 2));
        marks.put(Mark.VCR_STARTED, T0.plusMillis(ran + 1));
        return new RunResult(n, String.valueOf(n), marks, T0.plusMillis(clientMs), "127.0.20.2", true, true, "OK", null,
                VcrRun.served(50));
    }

    private static String printed(Report r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        r.print(new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "7.0, WARM,   250,  400,  60",
        "7.0, COLD,   350,  -,    -",
        "7.0, RESUME, 400,  -,    -",
        "6.0, WARM,   1500, 3500, -",
        "6.0, COLD,   -,    -,    -",
        "6.0, RESUME, -,    -,    -"})
    void eachVersionAndModeHasItsOwnTargets(String zabbix, Mode mode, Long median, Long p95, Long vcrPart) {
        assertThat(Targets.of(zabbix, mode)).isEqualTo(new Targets(zabbix, median, p95, vcrPart));
    }

    @Test
    void aWarmDrillOn70IsJudgedAgainst250And400AndVcrsPartAgainst60() {
        Report r = new Report(Mode.WARM, false, true, List.of(run(1, 120, 40), run(2, 130, 50), run(3, 450, 70)),
                "127.0.20.2", "www.example.test.", List.of(), "7.0");

        String out = printed(r);
        assertThat(out).containsPattern("vcr's part: action ran vcr -> DNS switched +50 ms +70 ms   target median <= 60 ms"
                + " \\(served, Zabbix 7.0, warm\\): met");
        assertThat(out).containsPattern("TOTAL failure -> client reaches standby +130 ms +450 ms   target median <= 250 ms,"
                + " p95 <= 400 ms \\(Zabbix 7.0, warm\\): MISSED");
        ObjectNode json = r.toJson();
        assertThat(json.path("targets").toString()).isEqualTo(
                "{\"zabbix\":\"7.0\",\"mode\":\"warm\",\"median_ms\":250,\"p95_ms\":400,\"vcr_part_ms\":60}");
        assertThat(json.path("vcr_part").path("median_ms").asDouble()).isEqualTo(50);
        assertThat(json.path("vcr_part").path("meets_target").asBoolean()).isTrue();
        assertThat(json.path("runs").path(2).path("vcr_part_ms").asLong()).isEqualTo(70);
        assertThat(json.path("total").path("meets_targets").asBoolean()).isFalse();
    }

    @Test
    void aColdDrillOn60SaysThereIsNoTargetInsteadOfJudgingItByAnother() {
        Report r = new Report(Mode.COLD, false, true, List.of(run(1, 2500, 90)), "127.0.20.3", "www.example.test.",
                List.of(), "6.0");

        String out = printed(r);
        assertThat(out).contains("no target (Zabbix 6.0, cold)").doesNotContain("met").doesNotContain("MISSED");
        assertThat(r.toJson().path("total").path("meets_targets").isNull()).isTrue();
        assertThat(r.toJson().path("targets").path("median_ms").isNull()).isTrue();
    }

    @Test
    void vcrsPartHasNoTargetWhenVcrRanAsAFreshJvm() {
        Report r = new Report(Mode.WARM, false, false, List.of(run(1, 300, 200)), "127.0.20.2", "www.example.test.",
                List.of(), "7.0");

        assertThat(r.targets().vcrPartMs()).isNull();
        assertThat(r.targets().medianMs()).isEqualTo(250);
    }
}
