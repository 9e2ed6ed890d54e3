package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * A step given up on (timed out) whose body completes later, as on a stalling filesystem or a
 * slow backend in the long-lived {@code vcr serve}: whatever it completes late is undone.
 */
class LateCompletionTest {
    // Deleted by release() once the late bodies are done: JUnit's own clean-up could race a late undo still writing here.
    @TempDir(cleanup = CleanupMode.NEVER)
    Path state;

    final CountDownLatch stall = new CountDownLatch(1);
    final ExecutorService executor = RunFrame.executor();
    final StringWriter err = new StringWriter();

    @AfterEach
    void release() throws Exception {
        stall.countDown();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        // A late undo may still be releasing a lock file or writing a note: retry until the tree is gone.
        eventually(() -> {
            try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(state)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
            } catch (java.io.IOException e) {
                throw new AssertionError("state dir not yet deletable: " + e, e); // a late write came in between: again
            }
            assertThat(state).doesNotExist();
        });
    }

    /** Waits for the test to release it, deaf to interrupts (as a call stuck in a stalled filesystem is), at most 10 s. */
    void stall() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stall.getCount() > 0 && System.nanoTime() < end) {
            try {
                stall.await(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // deaf to the cancel
            }
        }
    }

    /** Retries {@code check} every 20 ms until it passes, for at most 5 s (then its failure). */
    static void eventually(ThrowingRunnable check) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > end) throw e;
                Thread.sleep(20);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static void close(ServiceLock l) {
        try {
            l.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStepThatCompletesAfterItTimedOutIsUndoneAndWhatItUsesClosedOnlyAfterThat() throws Exception {
        StepRunner runner = new StepRunner("svc", executor, new PrintWriter(err, true), Duration.ofSeconds(30));
        AtomicInteger undone = new AtomicInteger();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        StepRunner.Running slow = runner.begin("slow", Duration.ofMillis(50), () -> {
            entered.countDown();
            stall();
            Thread.interrupted();
            return Done.ok("done late");
        }, () -> {
            undone.incrementAndGet();
            order.add("undo");
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        StepResult r = runner.await(slow);
        runner.whenSettled(() -> order.add("close"));

        assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(order).isEmpty();
        stall.countDown();
        eventually(() -> assertThat(order).hasSize(2));
        assertThat(order).containsExactly("undo", "close");
        assertThat(undone).hasValue(1);
    }

    @Test
    void aStepThatEndsInTimeIsNeverUndone() {
        StepRunner runner = new StepRunner("svc", executor, new PrintWriter(err, true), Duration.ofSeconds(30));
        AtomicInteger undone = new AtomicInteger();
        StepResult r = runner.step("quick", Duration.ofSeconds(5), () -> Done.ok("done"), undone::incrementAndGet);
        boolean[] closed = {false};
        runner.whenSettled(() -> closed[0] = true);

        assertThat(r.ok()).isTrue();
        assertThat(closed[0]).isTrue();
        assertThat(undone).hasValue(0);
    }

    RunContext context(Runbook rb) {
        VcrConfig config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/api_jsonrpc.php"), Path.of("/t"), null,
                null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, null), state, state, Duration.ofMinutes(10), null);
        return new RunContext(rb, config, null, null, new RunContext.Ports(null, null, new ServiceChecker(), StandbyBackends.of(List.of())),
                new PrintWriter(err, true));
    }

    static Runbook runbook(String extra) throws Exception {
        return TestRunbook.primaryWithoutVm("127.0.0.1").standby("cold", "cold-container", "lxc", "127.0.0.2")
                .check("tcp", 1, "100ms").then(extra).read();
    }

    @Test
    void aLockTakenAfterItsStepTimedOutIsReleasedSoTheNextRunGetsIt() throws Exception {
        RunContext ctx = context(runbook(""));
        GuardStages.Lock lock = GuardStages.lock(ctx, "held", Duration.ofMillis(100), (dir, service) -> {
            stall(); // the state directory's filesystem stalls
            Thread.interrupted();
            return ServiceLock.tryAcquire(dir, service);
        });

        assertThat(lock.held()).isNull();
        assertThat(lock.refused().exit()).isEqualTo(ExitCode.USAGE);
        assertThat(lock.refused().headline()).contains("cannot take the lock", "no result within 100ms");
        stall.countDown();
        eventually(() -> {
            Optional<ServiceLock> next = ServiceLock.tryAcquire(state, "svc");
            assertThat(next).as("the late lock was released").isPresent();
            close(next.get());
        });
    }

    @Test
    void aStandbyStartedAfterItsStepTimedOutIsStoppedAgainWhenTheStartEnds() throws Exception {
        Fakes.Backend lxc = new Fakes.Backend("lxc");
        lxc.states.put("cold", StandbyState.STOPPED);
        lxc.onStart.put("cold", () -> {
            lxc.states.put("cold", StandbyState.STOPPED); // still starting...
            stall();
            lxc.states.put("cold", StandbyState.RUNNING); // ...and up, after the step gave up on it
        });
        Runbook rb = runbook("limits:\n  start-timeout: 500ms\n");
        Fakes.Dns dns = new Fakes.Dns(rb.dns(), "127.0.0.1");
        VcrConfig config = new VcrConfig(null, state, state, Duration.ofMinutes(10), null);
        RecoveryReport r = new Recovery(rb, config, null, dns, StandbyBackends.of(List.of(Fakes.factory(lxc))),
                new ServiceChecker(), new PrintWriter(err, true)).run(null, "cold");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(r.headline()).contains("no result within 500ms");
        stall.countDown();
        eventually(() -> assertThat(lxc.calls).containsSubsequence("start cold", "stop cold"));
        assertThat(lxc.states).containsEntry("cold", StandbyState.STOPPED);
        eventually(() -> assertThat(err.toString()).contains("came up after its start timed out: stopped it again"));
        assertThat(dns.values).containsExactly("127.0.0.1");
    }
}
