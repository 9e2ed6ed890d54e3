package org.vcrecovery.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvidenceTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1795308329.738336144, 1795308329, 738336144",
        "1795308329.7, 1795308329, 700000000",
        "1795308329, 1795308329, 0"})
    void theWrappersTimestampIsReadToTheNanosecond(String text, long seconds, int nanos) {
        assertThat(Evidence.parseEpoch(text)).isEqualTo(Instant.ofEpochSecond(seconds, nanos));
    }

    @Test
    void theHoldersAuditLineIsTakenOverTheInProgressAndDuplicateLinesOfConcurrentRunsForTheSameEvent() throws Exception {
        Path audit = Files.writeString(dir.resolve("audit.jsonl"), """
                {"event_id":"5","result":"OK"}
                {"event_id":"7","result":"IN_PROGRESS"}
                {"event_id":"7","result":"DUPLICATE"}
                {"event_id":"6","result":"OK"}
                {"event_id":"7","result":"OK","headline":"recovered"}
                """);
        Instant soon = Instant.now().plusSeconds(5);
        assertThat(Evidence.auditLine(audit, 0, "7", soon).path("headline").asText()).isEqualTo("recovered");
        Path lone = Files.writeString(dir.resolve("lone.jsonl"), "{\"event_id\":\"7\",\"result\":\"IN_PROGRESS\"}\n");
        assertThat(Evidence.auditLine(lone, 0, "7", Instant.now().plusMillis(300)).path("result").asText()).isEqualTo("IN_PROGRESS");
        assertThat(Evidence.auditLine(lone, 0, "8", Instant.now().plusMillis(300))).isNull();
    }

    @Test
    void theCommandLineOfTheEventIsFoundAfterTheOffset() throws Exception {
        Path log = Files.writeString(dir.resolve("commands.log"), """
                1.5 recover --event-id 7 --trigger-host kvm --vm web
                2.5 recover --event-id 9 --trigger-host kvm --vm other
                3.5 recover --event-id 11 --trigger-host kvm --vm web
                """);
        assertThat(Evidence.command(log, 0, "11")).hasValueSatisfying(c -> assertThat(c).containsExactly("3.5", "11"));
        long secondLine = Files.readAllLines(log).get(0).length() + 1; // the log's size before a run
        assertThat(Evidence.command(log, secondLine, null)).hasValueSatisfying(c -> assertThat(c).containsExactly("2.5", "9"));
        assertThat(Evidence.command(log, 0, "12")).isEmpty();
        assertThat(Evidence.command(dir.resolve("missing"), 0, "7")).isEmpty();
    }

    @Test
    void thePendingLineTheActionsRunIsTheCommandOfTheEventAfterTheOffset() throws Exception {
        Path log = Files.writeString(dir.resolve("commands.log"), "1.5 recover --pending\n2.5 recover --pending\n");
        assertThat(Evidence.command(log, 0, "7")).hasValueSatisfying(c -> assertThat(c).containsExactly("1.5", "7"));
        assertThat(Evidence.command(log, Files.readAllLines(log).get(0).length() + 1, "9"))
                .hasValueSatisfying(c -> assertThat(c).containsExactly("2.5", "9"));
    }

    @Test
    void aColdStandbysMarksComeFromItsStartCheckDnsAndAckSteps() {
        String json = """
                {"event_id":"7","result":"OK","started":"2026-11-22T00:00:01Z","steps":[
                 {"name":"lock","outcome":"ok","started":"2026-11-22T00:00:01.010Z","millis":5,"detail":""},
                 {"name":"fence","outcome":"ok","started":"2026-11-22T00:00:01.100Z","millis":100,"detail":""},
                 {"name":"start","outcome":"ok","started":"2026-11-22T00:00:01.200Z","millis":300,"detail":""},
                 {"name":"check","outcome":"ok","started":"2026-11-22T00:00:01.500Z","millis":20,"detail":""},
                 {"name":"dns","outcome":"ok","started":"2026-11-22T00:00:01.520Z","millis":30,"detail":""},
                 {"name":"ack","outcome":"ok","started":"2026-11-22T00:00:01.550Z","millis":50,"detail":""}]}
                """;
        Map<Mark, Instant> m = new EnumMap<>(Mark.class);
        Evidence.marksFromReport(read(json), m);
        assertThat(m).containsEntry(Mark.VCR_STARTED, Instant.parse("2026-11-22T00:00:01Z"))
                .containsEntry(Mark.STANDBY_UP, Instant.parse("2026-11-22T00:00:01.500Z"))
                .containsEntry(Mark.PORT_VERIFIED, Instant.parse("2026-11-22T00:00:01.520Z"))
                .containsEntry(Mark.DNS_SWITCHED, Instant.parse("2026-11-22T00:00:01.550Z"))
                .containsEntry(Mark.ACKNOWLEDGED, Instant.parse("2026-11-22T00:00:01.600Z"));
    }

    @Test
    void aWarmStandbyIsUpWhenVcrTurnsToItAndAFailedCheckIsNotVerified() {
        String json = """
                {"started":"2026-11-22T00:00:01Z","steps":[
                 {"name":"check","outcome":"failed","started":"2026-11-22T00:00:01.100Z","millis":900,"detail":""},
                 {"name":"check","outcome":"ok","started":"2026-11-22T00:00:02Z","millis":5,"detail":""}]}
                """;
        Map<Mark, Instant> m = new EnumMap<>(Mark.class);
        Evidence.marksFromReport(read(json), m);
        assertThat(m).containsEntry(Mark.STANDBY_UP, Instant.parse("2026-11-22T00:00:02Z"))
                .containsEntry(Mark.PORT_VERIFIED, Instant.parse("2026-11-22T00:00:02.005Z"))
                .doesNotContainKey(Mark.DNS_SWITCHED);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
