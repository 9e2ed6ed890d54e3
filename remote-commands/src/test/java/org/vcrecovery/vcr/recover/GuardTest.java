package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardTest {
    @TempDir
    Path state;

    @Test
    void aHeldLockIsRefusedAtOnceAndNamesItsHolderUntilReleased() throws Exception {
        Optional<ServiceLock> first = ServiceLock.tryAcquire(state, "web");
        assertThat(first).isPresent();
        assertThat(ServiceLock.tryAcquire(state, "web")).isEmpty();
        assertThat(ServiceLock.tryAcquire(state, "mail")).isPresent().get().satisfies(l -> {
            try {
                l.close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(ServiceLock.holder(state, "web")).matches("pid " + ProcessHandle.current().pid() + " on \\S+ since \\S+Z");
        first.get().close();
        assertThat(Files.exists(state.resolve("locks/web.holder"))).isFalse();
        try (ServiceLock again = ServiceLock.tryAcquire(state, "web").orElseThrow()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aSecondRunInTheSameJvmLeavesTheFirstRunsLockHeldForOtherProcesses() throws Exception {
        try (ServiceLock first = ServiceLock.tryAcquire(state, "web").orElseThrow()) {
            assertThat(ServiceLock.tryAcquire(state, "web")).isEmpty();
            assertThat(ServiceLock.tryAcquire(state, "web")).isEmpty();
            // The kernel's view (what another process's tryLock meets): this process still holds a
            // POSIX lock on the file. Had the refused tries opened and closed it, the lock would be gone.
            long inode = (Long) Files.getAttribute(state.resolve("locks/web.lock"), "unix:ino");
            assertThat(Files.readAllLines(Path.of("/proc/locks")))
                    .anyMatch(l -> l.contains("POSIX") && l.contains(" " + ProcessHandle.current().pid() + " ") && l.contains(":" + inode + " "));
        }
    }

    @Test
    void dedupDropsTheSameEventForeverAndOthersInsideTheWindow() throws Exception {
        DedupLog log = new DedupLog(state, "web");
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        Duration window = Duration.ofMinutes(10);
        assertThat(log.duplicate("1", window, t0)).isEmpty();
        log.record("1", t0);
        assertThat(log.duplicate("1", window, t0.plus(Duration.ofDays(3)))).get().asString().contains("event 1 was already recovered");
        assertThat(log.duplicate("2", window, t0.plusSeconds(60))).get().asString().contains("recovered 60 s ago (event 1)");
        assertThat(log.duplicate("2", window, t0.plus(window))).isEmpty();
        assertThat(log.duplicate(null, window, t0.plusSeconds(1))).as("a run by hand").isEmpty();
    }

    @Test
    void dedupKeepsABoundedHistoryAndSkipsDamagedLines() throws Exception {
        DedupLog log = new DedupLog(state, "web");
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        for (int i = 0; i < DedupLog.KEEP + 20; i++) log.record(Integer.toString(i), t0.plusSeconds(i));
        Path file = state.resolve("dedup/web.log");
        assertThat(Files.readAllLines(file)).hasSize(DedupLog.KEEP);
        Files.writeString(file, "garbage\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(log.duplicate(Integer.toString(DedupLog.KEEP + 19), Duration.ZERO, t0.plusSeconds(10_000))).isPresent();
    }

    @Test
    void aWallClockSteppedBackDoesNotReopenTheWindowWithinOneBoot() throws Exception {
        DedupLog log = new DedupLog(state, "web");
        Instant t0 = Instant.parse("2026-11-22T12:00:00Z");
        Duration window = Duration.ofMinutes(10);
        log.record("1", new DedupLog.Now(t0, "boot-a", 5_000_000));

        // 30 s later by the boot clock, but the wall clock was stepped back an hour meanwhile.
        DedupLog.Now stepped = new DedupLog.Now(t0.minus(Duration.ofHours(1)), "boot-a", 5_030_000);
        assertThat(log.duplicate("2", window, stepped)).get().asString().contains("recovered 30 s ago (event 1)");
        // 11 minutes later by the boot clock, the wall clock stepped forward a day: outside the window.
        assertThat(log.duplicate("2", window, new DedupLog.Now(t0.plus(Duration.ofDays(1)), "boot-a", 5_660_000))).isEmpty();
        // After a reboot only the wall clock is left: a last recovery it puts in the future is inside the window.
        assertThat(log.duplicate("2", window, new DedupLog.Now(t0.minusSeconds(120), "boot-b", 1_000))).get().asString()
                .contains("less than the window ahead of this clock (it went back)");
        assertThat(log.duplicate("2", window, t0.minusSeconds(120))).as("wall clock only").isPresent();
    }

    @Test
    void theDedupFileAndItsDirectoryAreForcedToDiskAroundTheRename() throws Exception {
        java.util.List<String> synced = new java.util.ArrayList<>();
        Path dir = state.resolve("dedup");
        DedupLog log = new DedupLog(state, "web", p -> synced.add(state.relativize(p) + (Files.exists(dir.resolve("web.log")) ? " (renamed)" : "")));
        log.record("1", DedupLog.Now.system());

        assertThat(synced).containsExactly("dedup/web.log.tmp", "dedup (renamed)");
        assertThat(Files.readAllLines(dir.resolve("web.log"))).singleElement().asString().matches("\\d+ 1( \\S+/\\d+)?");
        new DedupLog(state, "web").record("2", DedupLog.Now.system()); // the real fsync works on files and directories
        assertThat(new DedupLog(state, "web").duplicate("3", Duration.ofMinutes(1), DedupLog.Now.system())).isPresent();
    }
}
