package org.vcrecovery.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvariantsTest {
    private static final String P = "127.0.20.1";
    private static final String S = "127.0.20.2";
    private static final Instant T0 = Instant.parse("2026-12-04T18:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A vcr report: steps as "name outcome startMs millis detail" relative to T0. */
    private static JsonNode report(String event, String... steps) {
        var line = JSON.createObjectNode().put("event_id", event).put("result", "OK");
        var arr = line.putArray("steps");
        for (String s : steps) {
            String[] f = s.split(" ", 5);
            arr.addObject().put("name", f[0]).put("outcome", f[1]).put("started", T0.plusMillis(Long.parseLong(f[2])).toString())
                    .put("millis", Long.parseLong(f[3])).put("detail", f[4]);
        }
        return line;
    }

    private static JsonNode goodReport() {
        return report("100", "fence ok 50 2 domain drill-web already shut off", "check ok 50 1 drill-warm " + S + ":8080 http up",
                "dns ok 55 7 switched www.example.test. A " + P + " -> " + S + ", verified");
    }

    private static Observed.Seen seen(long ms, boolean up, String... answer) {
        return new Observed.Seen(T0.plusMillis(ms), List.of(answer), up, false);
    }

    private record O(Fault fault, List<Observed.Seen> seen, List<String> finalDns, boolean standbyUp, boolean primaryUp, boolean lockFree,
                     List<String> acks, List<JsonNode> audit, Integer rerun, List<Instant> stopped, List<Observed.Value> values,
                     Instant killed, boolean unfenced) {
        Observed build() {
            return new Observed(new Plan.Entry(1, fault, 0, 0), T0, "100", seen, finalDns, finalDns, standbyUp, primaryUp, lockFree, !acks.isEmpty(),
                    acks, audit, rerun, "", stopped, values, killed, unfenced, new ArrayList<>());
        }

        O with(List<JsonNode> a) {
            return new O(fault, seen, finalDns, standbyUp, primaryUp, lockFree, acks, a, rerun, stopped, values, killed, unfenced);
        }
    }

    private static final String ACK = "vcr: drill-web recovered\ncheck ok 1 ms: ...\ndns ok 7 ms: switched www A " + P + " -> " + S;

    private static O clean() {
        return new O(fault("none"), List.of(seen(80, true, S)), List.of(S), true, false, true, List.of(ACK), List.of(goodReport()), 10,
                List.of(T0.plusMillis(3)), List.of(new Observed.Value(T0.plusMillis(2), "5")), null, false);
    }

    private static Fault fault(String name) {
        return Faults.select(name, true).get(0);
    }

    private static List<String> judge(O o) {
        return Invariants.check(o.build(), P, S);
    }

    @Test
    void aCleanFailoverKeepsEveryInvariant() {
        assertThat(judge(clean())).isEmpty();
    }

    @Test
    void aSwitchWithoutAPassingCheckFirstIsAViolation() {
        JsonNode noCheck = report("100", "fence ok 50 2 shut off", "check failed 50 1 drill-warm " + S + ":8080 http down",
                "dns ok 55 7 switched www A " + P + " -> " + S + ", verified");
        JsonNode lateCheck = report("100", "fence ok 50 2 shut off", "check ok 60 1 drill-warm " + S + ":8080 http up",
                "dns ok 55 7 switched www A " + P + " -> " + S + ", verified");
        assertThat(judge(clean().with(List.of(noCheck)))).anyMatch(v -> v.startsWith("checked: event 100 switched DNS to " + S));
        assertThat(judge(clean().with(List.of(lateCheck)))).anyMatch(v -> v.startsWith("checked:"));
    }

    @Test
    void dnsOnAStandbyThatDoesNotAnswerNeedsAReportThatCheckedIt() {
        O deadNoReport = new O(fault("kill-serve"), List.of(seen(80, false, S)), List.of(S), true, false, true, List.of(ACK), List.of(),
                0, List.of(), List.of(), null, false);
        assertThat(judge(deadNoReport)).anyMatch(v -> v.startsWith("checked: DNS moved to " + S + ", which did not answer"));
        O deadButChecked = deadNoReport.with(List.of(goodReport()));
        assertThat(judge(deadButChecked)).noneMatch(v -> v.startsWith("checked:"));
    }

    @Test
    void aSwitchWithoutASuccessfulFenceBeforeItIsAViolationUnlessTheRunbookAllowsUnfenced() {
        JsonNode failedFence = report("100", "fence failed 50 2 libvirt did not answer", "check ok 50 1 drill-warm " + S + ":8080 up",
                "dns ok 55 7 switched www A " + P + " -> " + S + ", verified");
        JsonNode slowFence = report("100", "fence ok 50 20 destroyed", "check ok 50 1 drill-warm " + S + ":8080 up",
                "dns ok 55 7 switched www A " + P + " -> " + S + ", verified");
        assertThat(judge(clean().with(List.of(failedFence)))).anyMatch(v -> v.startsWith("fenced: event 100 switched DNS without a fence"));
        assertThat(judge(clean().with(List.of(slowFence)))).anyMatch(v -> v.startsWith("fenced:"));
        O unfenced = clean().with(List.of(failedFence));
        unfenced = new O(unfenced.fault(), unfenced.seen(), unfenced.finalDns(), true, false, true, unfenced.acks(), unfenced.audit(), 10,
                unfenced.stopped(), unfenced.values(), null, true);
        assertThat(judge(unfenced)).noneMatch(v -> v.startsWith("fenced:"));
    }

    @Test
    void dnsOffThePrimaryWhileLibvirtRunsItIsAViolation() {
        O o = clean();
        o = new O(o.fault(), List.of(new Observed.Seen(T0.plusMillis(80), List.of(S), true, true)), o.finalDns(), true, false, true,
                o.acks(), o.audit(), 10, o.stopped(), o.values(), null, false);
        assertThat(judge(o)).contains("fenced: DNS answered [" + S + "] while libvirt ran the primary");
    }

    @Test
    void aFalseAlarmMustMoveNothing() {
        O calm = new O(fault("false-alarm"), List.of(), List.of(P), true, true, true, List.of(), List.of(), null, List.of(), List.of(), null, false);
        assertThat(judge(calm)).isEmpty();
        O moved = new O(fault("false-alarm"), List.of(seen(80, true, S)), List.of(S), true, true, true, List.of(), List.of(goodReport()),
                null, List.of(), List.of(), null, false);
        assertThat(judge(moved)).anyMatch(v -> v.startsWith("fenced: a false alarm switched DNS"))
                .anyMatch(v -> v.startsWith("once: the name moved 1 times (expected 0)"))
                .anyMatch(v -> v.startsWith("converges: after a false alarm DNS answers"));
    }

    @Test
    void twoSwitchesOrAFlapForOneFailureAreAViolation() {
        assertThat(judge(clean().with(List.of(goodReport(), goodReport())))).contains("once: 2 vcr reports switched DNS for one failure");
        O o = clean();
        O flap = new O(o.fault(), List.of(seen(80, true, S), seen(200, false, P), seen(300, true, S)), o.finalDns(), true, false, true,
                o.acks(), o.audit(), 10, o.stopped(), o.values(), null, false);
        assertThat(judge(flap)).anyMatch(v -> v.startsWith("once: the name moved 3 times (expected 1)"));
        O twoAcks = new O(o.fault(), o.seen(), o.finalDns(), true, false, true, List.of(ACK, ACK), o.audit(), 10, o.stopped(), o.values(),
                null, false);
        assertThat(judge(twoAcks)).contains("once: the event has 2 acknowledgements of a switch");
    }

    @Test
    void aRunThatNeverMovedDnsOrLeftTheLockOrTheEventOpenDidNotConverge() {
        O o = clean();
        O stuck = new O(o.fault(), List.of(), List.of(P), true, false, false, List.of(), List.of(), 3, o.stopped(), o.values(), null, false);
        assertThat(judge(stuck)).anyMatch(v -> v.startsWith("converges: DNS answers [" + P + "] at the end"))
                .anyMatch(v -> v.startsWith("converges: event 100 is not acknowledged"))
                .anyMatch(v -> v.startsWith("converges: the rerun ended 3"))
                .contains("converges: the service's lock is still held at the end")
                .anyMatch(v -> v.startsWith("once: the name moved 0 times (expected 1)"));
    }

    @Test
    void aStoppedEventTheListenerLoggedMustReachZabbixWithItsOwnTimestamp() {
        O o = clean();
        O lost = new O(o.fault(), o.seen(), o.finalDns(), true, false, true, o.acks(), o.audit(), 10, List.of(T0.plusMillis(3)),
                List.of(new Observed.Value(T0.plusMillis(5000), "5")), null, false);
        assertThat(judge(lost)).anyMatch(v -> v.startsWith("delivered: the listener logged the primary STOPPED"));
        O killedRightAfter = new O(o.fault(), o.seen(), o.finalDns(), true, false, true, o.acks(), o.audit(), 10, List.of(T0.plusMillis(3)),
                List.of(), T0.plusMillis(10), false);
        assertThat(judge(killedRightAfter)).noneMatch(v -> v.startsWith("delivered:"));
    }

    @Test
    void theSwitchTargetIsTheAddressAfterTheArrow() {
        assertThat(Invariants.target("switched www.example.test. A 127.0.20.1 -> 127.0.20.2, verified")).isEqualTo("127.0.20.2");
        assertThat(Invariants.target("already switched: www A 127.0.20.2 (a re-run)")).isEmpty();
    }
}
