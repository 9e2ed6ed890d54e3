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
}
