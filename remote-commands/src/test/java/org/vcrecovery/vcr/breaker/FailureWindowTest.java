package org.vcrecovery.vcr.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.DedupLog.Now;

/** The shared count of failures: window, limit, clock steps, and processes counting at once. */
class FailureWindowTest {
    static final VcrConfig.Breaker THREE_IN_A_MINUTE = new VcrConfig.Breaker(3, Duration.ofSeconds(60));
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path state;

    static Now at(Instant wall, long uptimeMillis) {
        return new Now(wall, "boot-1", uptimeMillis);
    }

    boolean admit(String service, Now now) throws IOException {
        return new FailureWindow(state).admit(service, "e-" + service, false, THREE_IN_A_MINUTE, now).admitted();
    }

    @Test
    void theFirstThreeServicesAreAdmittedAndTheFourthIsHeldNamingTheCount() throws Exception {
        assertThat(admit("a", at(T0, 1_000))).isTrue();
        assertThat(admit("b", at(T0, 2_000))).isTrue();
        assertThat(admit("c", at(T0, 3_000))).isTrue();
        FailureWindow.Decision d = new FailureWindow(state).admit("d", "e-d", false, THREE_IN_A_MINUTE, at(T0, 4_000));
        assertThat(d).isEqualTo(new FailureWindow.Decision(false, 4, Duration.ofSeconds(60)));
        assertThat(Files.readAllLines(state.resolve("breaker/failures.log"))).hasSize(4).last().asString()
                .startsWith(T0.toEpochMilli() + " d e-d held boot-1/4000");
    }

    @Test
    void theSameServiceFailingAgainDoesNotCountAgainstItself() throws Exception {
        admit("a", at(T0, 1_000));
        admit("b", at(T0, 2_000));
        admit("c", at(T0, 3_000));
        assertThat(admit("a", at(T0, 4_000))).as("a retry of a counted service").isTrue();
    }

    @Test
    void aHeldStormKeepsTheBreakerOpenAndAQuietWindowClosesIt() throws Exception {
        for (String s : List.of("a", "b", "c")) admit(s, at(T0, 1_000));
        for (String s : List.of("d", "e", "f")) assertThat(admit(s, at(T0, 50_000))).isFalse();
        // 61 s after a, b, c but 12 s after the held d, e, f: still inside the storm
        assertThat(admit("g", at(T0, 62_000))).isFalse();
        // a full window after the last failure
        assertThat(admit("h", at(T0, 122_001))).isTrue();
        assertThat(new FailureWindow(state).failures(THREE_IN_A_MINUTE, at(T0, 122_001))).isEqualTo(1);
    }

    @Test
    void anApprovedFailureIsAdmittedAndStillCounted() throws Exception {
        for (String s : List.of("a", "b", "c")) admit(s, at(T0, 1_000));
        assertThat(new FailureWindow(state).admit("d", "e-d", true, THREE_IN_A_MINUTE, at(T0, 2_000)).admitted()).isTrue();
        assertThat(new FailureWindow(state).failures(THREE_IN_A_MINUTE, at(T0, 2_000))).isEqualTo(4);
    }

    @Test
    void aWallClockSteppedBackOrForwardInsideOneBootChangesNothing() throws Exception {
        for (String s : List.of("a", "b", "c")) admit(s, at(T0, 1_000));
        assertThat(admit("d", at(T0.minus(Duration.ofHours(2)), 5_000))).as("clock stepped back 2 h").isFalse();
        assertThat(admit("e", at(T0.plus(Duration.ofHours(2)), 6_000))).as("clock stepped forward 2 h").isFalse();
    }

    @Test
    void afterARebootAnEntryLessThanAWindowInTheFutureStillCounts() throws Exception {
        for (String s : List.of("a", "b", "c")) admit(s, at(T0, 1_000));
        Now rebootedClockBack = new Now(T0.minusSeconds(30), "boot-2", 500);
        assertThat(admit("d", rebootedClockBack)).isFalse();
        Now rebootedLater = new Now(T0.plusSeconds(61 + 60), "boot-2", 100_000);
        assertThat(admit("e", rebootedLater)).isTrue();
    }

    @Test
    void aDamagedLineIsSkipped() throws Exception {
        Files.createDirectories(state.resolve("breaker"));
        Files.writeString(state.resolve("breaker/failures.log"), "garbage\n12x a - held\n");
        assertThat(admit("a", at(T0, 1_000))).isTrue();
    }

    @Test
    void threadsOfOneProcessCountingAtOnceAdmitExactlyTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String s = "svc" + i;
                answers.add(pool.submit(() -> admit(s, Now.system())));
            }
            int admitted = 0;
            for (Future<Boolean> f : answers) if (f.get(10, TimeUnit.SECONDS)) admitted++;
            assertThat(admitted).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void processesCountingAtOnceAdmitExactlyTheLimit() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            children.add(new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), Child.class.getName(), state.toString(), "svc" + i)
                    .redirectErrorStream(true).start());
        }
        int admitted = 0;
        for (Process p : children) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertThat(out).isIn("admitted", "held");
            if (out.equals("admitted")) admitted++;
        }
        assertThat(admitted).isEqualTo(3);
        assertThat(Files.readAllLines(state.resolve("breaker/failures.log"))).hasSize(5);
    }

    /** One process counting one failure: prints admitted or held. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Callable<Boolean> c = () -> new FailureWindow(Path.of(args[0]))
                    .admit(args[1], null, false, THREE_IN_A_MINUTE, Now.system()).admitted();
            System.out.println(c.call() ? "admitted" : "held");
        }
    }
}
