package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.recover.StepResult.Outcome;

class RecoveryReportTest {
    static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

    static RecoveryReport report(List<StepResult> steps, List<String> notes) {
        return new RecoveryReport("web", "/etc/vcrecovery/runbooks/web.yaml", "42", ExitCode.OK,
                "recovered on web-warm (127.0.10.2)", "web-warm", "127.0.10.2", T, 182, steps, notes);
    }

    @Test
    void theSummaryIsOneLineWithEveryStepButPassedGuards() {
        RecoveryReport r = report(List.of(
                new StepResult("lock", Outcome.OK, T, 0, "locked"),
                new StepResult("dedup", Outcome.OK, T, 0, "new"),
                new StepResult("fence", Outcome.OK, T, 12, "destroyed domain web-vm"),
                new StepResult("check", Outcome.OK, T, 3, "up"),
                new StepResult("dns", Outcome.OK, T, 41, "switched"),
                new StepResult("ack", Outcome.FAILED, T, 60, "HTTP 500")), List.of("ack failed: HTTP 500"));
        assertThat(r.summary()).isEqualTo("web: recovered on web-warm (127.0.10.2) in 182 ms: fence 12 ms, check 3 ms, dns 41 ms,"
                + " ack failed 60 ms; ack failed: HTTP 500");
    }

    @Test
    void theAckMessageListsEveryStepAndStaysWithinZabbixsLimit() {
        List<StepResult> steps = new ArrayList<>();
        for (int i = 0; i < 100; i++) steps.add(new StepResult("check", Outcome.FAILED, T, i, "x".repeat(60)));
        String m = report(steps, List.of()).ackMessage();
        assertThat(m).hasSize(RecoveryReport.ACK_LIMIT).endsWith(" [...]").startsWith("vcr: web recovered on web-warm");
        String shortOne = report(List.of(new StepResult("fence", Outcome.OK, T, 12, "destroyed")), List.of("n")).ackMessage();
        assertThat(shortOne).isEqualTo("vcr: web recovered on web-warm (127.0.10.2) in 182 ms (exit 0 OK)\nfence ok 12 ms: destroyed\nnote: n");
    }

    @Test
    void theJsonReportEscapesEverythingAndHasEveryStep() {
        String json = report(List.of(new StepResult("check", Outcome.TIMED_OUT, T, 5, "said \"hi\"\n\u0001")), List.of("a\\b"))
                .toJson();
        assertThat(json).isEqualTo("{\"service\":\"web\",\"runbook\":\"/etc/vcrecovery/runbooks/web.yaml\",\"event_id\":\"42\","
                + "\"exit_code\":0,\"result\":\"OK\",\"headline\":\"recovered on web-warm (127.0.10.2)\",\"standby\":\"web-warm\","
                + "\"address\":\"127.0.10.2\",\"started\":\"2026-11-22T00:00:00Z\",\"millis\":182,\"steps\":[{\"name\":\"check\","
                + "\"outcome\":\"timed-out\",\"started\":\"2026-11-22T00:00:00Z\",\"millis\":5,\"detail\":\"said \\\"hi\\\"\\n\\u0001\"}],"
                + "\"notes\":[\"a\\\\b\"]}");
    }
}
