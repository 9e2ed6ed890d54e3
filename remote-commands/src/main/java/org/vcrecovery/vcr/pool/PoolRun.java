package org.vcrecovery.vcr.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.ServiceLock;
import org.vcrecovery.vcr.runbook.InvalidRunbookException;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import org.vcrecovery.vcr.runbook.PoolRunbookReader;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * One {@code vcr pool grow|shrink} of one pool, with what surrounds the change: for an automatic
 * run (from a Zabbix action) the kill switch ({@code <state dir>/disabled} or {@code {$VCR.AUTO}=0}:
 * {@link ExitCode#HELD}) and the pool's {@code min-interval} since its last change
 * ({@link ExitCode#POOL_LIMIT}); for every run the pool's lock ({@code locks/pool-SERVICE.lock}:
 * {@link ExitCode#IN_PROGRESS}), the change ({@link PoolChange}), the time of the change
 * ({@code pool/SERVICE.changed}) and a line in {@code audit.jsonl}. Runs by hand are never held
 * and never wait for min-interval, as for recovery. A grow is not a failure, so the circuit
 * breaker's count is not touched: the kill switch is what stops automatic pool changes.
 */
public final class PoolRun {
    private PoolRun() {}

    /** The pool runbook {@code service} (name or file) of {@code cfg}'s directory; USAGE when missing or invalid. */
    public static PoolRunbook load(VcrConfig cfg, String service) {
        Path file = new RunbookCatalog(cfg.runbookDir()).resolve(service);
        try {
            return PoolRunbookReader.read(file);
        } catch (InvalidRunbookException e) {
            throw new VcrException(ExitCode.USAGE, "invalid pool runbook " + file + ":\n" + e.getMessage());
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot read pool runbook " + file + ": " + e.getMessage());
        }
    }

    /**
     * Runs {@code action} ("grow" or "shrink") on {@code pool}. {@code automatic}: a Zabbix action's
     * run, subject to the kill switch ({@code macro}: the value of {@code {$VCR.AUTO}}, null when not asked) and min-interval.
     */
    public static PoolReport run(VcrConfig cfg, PoolRunbook pool, String action, boolean automatic, String macro) {
        return run(cfg, pool, action, automatic, macro, new java.io.PrintWriter(System.err, true));
    }

    /** As above, with the run's notes (a report Zabbix did not take) on {@code err}. */
    public static PoolReport run(VcrConfig cfg, PoolRunbook pool, String action, boolean automatic, String macro, java.io.PrintWriter err) {
        PoolReport report = new PoolReport(pool.service(), action);
        Path state = cfg.stateDir();
        if (automatic) {
            Optional<String> off = KillSwitch.byFile(state).or(() -> KillSwitch.byMacro(macro));
            if (off.isPresent()) return audit(state, report.finish(ExitCode.HELD, "held: " + off.get() + ": nothing changed"));
            Optional<Instant> last = lastChange(state, pool.service());
            Duration gap = pool.policy().minInterval();
            if (last.isPresent() && Duration.between(last.get(), Instant.now()).compareTo(gap) < 0) {
                long ago = Duration.between(last.get(), Instant.now()).toSeconds();
                return audit(state, report.finish(ExitCode.POOL_LIMIT, "the last change was " + ago + " s ago, min-interval is "
                        + gap.toSeconds() + " s: nothing changed"));
            }
        }
        long t = System.nanoTime();
        try (ServiceLock lock = ServiceLock.tryAcquire(state, "pool-" + pool.service()).orElse(null)) {
            if (lock == null) {
                report.step("lock", false, t, "held by " + ServiceLock.holder(state, "pool-" + pool.service()));
                return audit(state, report.finish(ExitCode.IN_PROGRESS, "another change of this pool holds the lock: nothing changed"));
            }
            report.step("lock", true, t, "locks/pool-" + pool.service() + ".lock");
            PoolDns dns = PoolDns.open(pool.dns(), pool.limits().dnsTimeout(), pool.limits().retries());
            try (Opened backends = new Opened()) {
                PoolChange change = new PoolChange(pool, dns, backends, new ServiceChecker(), backends.exec);
                report = action.equals("grow") ? change.grow(report) : change.shrink(report);
            }
            if (report.code() == ExitCode.OK) stamp(state, pool.service());
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "state directory " + state + " is not usable: " + e.getMessage());
        }
        String unsent = PoolToZabbix.send(cfg, pool, report);
        if (unsent != null) err.println("vcr: pool " + pool.service() + ": report not sent to Zabbix: " + unsent);
        return audit(state, report);
    }

    /** When the pool last changed (a run that changed it), if it ever did. */
    static Optional<Instant> lastChange(Path state, String service) {
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(Files.readString(stampFile(state, service)).strip())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.of(Instant.now()); // unreadable: count it as just now, so no automatic change races ahead
        }
    }

    private static Path stampFile(Path state, String service) {
        return state.resolve("pool").resolve(service + ".changed");
    }

    private static void stamp(Path state, String service) throws IOException {
        Path f = stampFile(state, service);
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(service + ".changed.tmp");
        Files.writeString(tmp, Long.toString(System.currentTimeMillis()) + "\n");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static PoolReport audit(Path state, PoolReport report) {
        try {
            Files.createDirectories(state);
            Files.writeString(state.resolve("audit.jsonl"), report.toJson() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("vcr: audit line not written: " + e.getMessage());
        }
        return report;
    }

    /** The run's backends (one per name and options) and its threads, closed together. */
    static final class Opened implements PoolChange.Backends, AutoCloseable {
        final ExecutorService exec = Executors.newCachedThreadPool(r -> {
            Thread th = new Thread(r, "vcr-pool");
            th.setDaemon(true);
            return th;
        });
        private final Map<String, StandbyBackend> open = new HashMap<>();
        private final StandbyBackends installed = StandbyBackends.installed();

        @Override
        public synchronized StandbyBackend of(PoolRunbook.Member m) {
            return open.computeIfAbsent(m.backend() + " " + new TreeMap<>(m.options()), k -> installed.create(m.backend(), m.options()));
        }

        @Override
        public synchronized void close() {
            exec.shutdownNow();
            for (StandbyBackend b : open.values()) b.close();
        }
    }
}
