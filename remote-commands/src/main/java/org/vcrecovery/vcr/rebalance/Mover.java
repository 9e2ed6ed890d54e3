package org.vcrecovery.vcr.rebalance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.recover.AuditLog;
import org.vcrecovery.vcr.recover.DnsPort;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.ServiceLock;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * Moves one service, make-before-break, holding the service's lock (the one {@code vcr recover}
 * takes, so a recovery and a move of one service never overlap):
 * <pre>
 *  lock → dns-read (still the old standby's?) → start the new standby → check it
 *       → dns (compare-and-swap old → new, verified) → drain (the record's TTL) → stop the old one → audit
 * </pre>
 * Until DNS switched, nothing of the old placement is touched: a new standby that fails to
 * start or its checks is stopped again (when this move started it) and the service stays where it
 * was (SERVICE_DOWN), as after a DNS switch that failed (DNS_FAILED; a conflict: CONFLICT). The
 * old standby is stopped only after the record's TTL has passed since the switch, so clients that
 * follow DNS never meet a stopped service; one that cannot be stopped is a note (the move is done).
 * "move" in the report is the time from the start of the new standby to DNS switched and verified.
 *
 * <p>Never throws for what happens on the network or in a backend: every failure is a step and an
 * exit code in the returned report.
 */
final class Mover {
    /** Waits out the drain; tests replace it. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final Duration RETRY = Duration.ofMillis(20);

    private final Path stateDir;
    private final Function<Runbook, DnsPort> dns;
    private final StandbyBackends backends;
    private final ServiceChecker checker;
    private final Sleeper sleeper;
    private final Duration drain;

    /** @param drain how long to wait between the switch and stopping the old standby; null: the record's TTL */
    Mover(Path stateDir, Function<Runbook, DnsPort> dns, StandbyBackends backends, ServiceChecker checker, Sleeper sleeper,
          Duration drain) {
        this.stateDir = stateDir;
        this.dns = dns;
        this.backends = backends;
        this.checker = checker;
        this.sleeper = sleeper;
        this.drain = drain;
    }

    /** The wait between the switch and stopping the old standby for {@code rb}. */
    Duration drainOf(Runbook rb) {
        return drain != null ? drain : Duration.ofSeconds(rb.dns().ttl());
    }

    RecoveryReport move(Move m, String eventId) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Steps steps = new Steps();
        List<String> notes = new ArrayList<>();
        String[] toAddress = {m.to().address()};
        ExitCode exit;
        String headline;
        Optional<ServiceLock> lock;
        try {
            lock = ServiceLock.tryAcquire(stateDir, m.service());
        } catch (IOException e) {
            lock = Optional.empty();
            notes.add("state directory " + stateDir + " unusable: " + e.getMessage());
        }
        if (lock.isEmpty()) {
            steps.run("lock", () -> {
                throw new Steps.Failed("held by " + ServiceLock.holder(stateDir, m.service()));
            });
            return report(m, eventId, ExitCode.IN_PROGRESS, "not moved: a recovery or move of " + m.service()
                    + " is in progress (" + ServiceLock.holder(stateDir, m.service()) + "); nothing changed", started, t0, steps, notes, null);
        }
        try (ServiceLock held = lock.get()) {
            steps.run("lock", () -> "");
            Result o = moveLocked(m, steps, notes, toAddress, t0);
            exit = o.exit;
            headline = o.headline;
        } catch (IOException e) {
            exit = ExitCode.FAILED;
            headline = "lock of " + m.service() + " not released: " + e.getMessage();
        }
        RecoveryReport r = report(m, eventId, exit, headline, started, t0, steps, notes, toAddress[0]);
        try {
            new AuditLog(stateDir).append(r);
        } catch (IOException e) {
            notes.add("audit line not written: " + e.getMessage());
            r = report(m, eventId, exit, headline, started, t0, steps, notes, toAddress[0]);
        }
        return r;
    }

    private record Result(ExitCode exit, String headline) {}

    private Result moveLocked(Move m, Steps steps, List<String> notes, String[] toAddress, long t0) {
        Runbook rb = m.runbook();
        Runbook.Limits limits = rb.limits();
        Runbook.Dns d = rb.dns();
        String record = d.fqdn() + " " + d.type();
        DnsPort port = dns.apply(rb);
        List<String> before = new ArrayList<>();
        boolean[] answered = {false};
        String read = steps.run("dns-read", () -> {
            before.addAll(port.current());
            answered[0] = true;
            String v = before.isEmpty() ? "(absent)" : String.join(", ", before);
            if (before.size() != 1 || !Placement.same(before.get(0), m.from().address())) {
                throw new Steps.Failed(record + " holds " + v + ", no longer " + m.from().name() + "'s " + m.from().address());
            }
            return record + " " + v + " (standby " + m.from().name() + ")";
        });
        if (read == null) {
            return answered[0]
                    ? new Result(ExitCode.CONFLICT, "not moved: " + steps.lastDetail() + " (moved meanwhile?); nothing changed")
                    : new Result(ExitCode.UNREACHABLE, "not moved: DNS server " + d.server() + ":" + d.port() + " did not answer ("
                            + steps.lastDetail() + "); nothing changed");
        }
        try (StandbyBackend to = backends.create(m.to().backend(), m.to().options());
             StandbyBackend from = backends.create(m.from().backend(), m.from().options())) {
            long moveStart = System.nanoTime();
            boolean[] startedHere = {false};
            String up = steps.run("start", () -> {
                StandbyState s = to.status(m.to().target());
                if (toAddress[0] == null) toAddress[0] = to.address(m.to().target()).orElseThrow(() ->
                        new Steps.Failed("the address of " + m.to().name() + " is unknown to " + m.to().backend()
                                + ": give it in the runbook"));
                if (s == StandbyState.RUNNING) return m.to().name() + " already running (" + m.to().backend() + " " + m.to().target() + ")";
                if (s == StandbyState.ABSENT) throw new Steps.Failed(m.to().backend() + " has no " + m.to().target());
                startedHere[0] = true;
                to.start(m.to().target(), limits.startTimeout());
                return (s == StandbyState.PAUSED ? "resumed " : "started ") + m.to().name() + " (" + m.to().backend() + " " + m.to().target() + ")";
            });
            if (up == null) {
                undo(to, m, startedHere[0], steps, notes);
                return new Result(ExitCode.SERVICE_DOWN, "not moved: standby " + m.to().name() + " did not start ("
                        + steps.lastDetail() + "); " + m.service() + " stays on " + m.from().name());
            }
            String checked = steps.run("check", () -> check(rb, toAddress[0], m.to().port()));
            if (checked == null) {
                undo(to, m, startedHere[0], steps, notes);
                return new Result(ExitCode.SERVICE_DOWN, "not moved: standby " + m.to().name() + " (" + toAddress[0]
                        + ") does not answer its checks (" + steps.lastDetail() + "); " + m.service() + " stays on " + m.from().name());
            }
            boolean[] conflict = {false};
            String switched = steps.run("dns", () -> {
                UpdateResult u = port.swap(before, toAddress[0]);
                if (u.outcome() == org.vcrecovery.dns.Outcome.CONFLICT) {
                    conflict[0] = true;
                    throw new Steps.Failed("conflict: " + record + " is no longer " + before.get(0) + " (" + u.message()
                            + "): someone else changed it; nothing overwritten");
                }
                if (!u.applied()) throw new Steps.Failed(record + " not switched: " + u.outcome() + ": " + u.message());
                VerifyResult v = port.verify(u.change(), limits.dnsTimeout());
                if (!v.matched()) throw new Steps.Failed("switched " + record + " but " + v.message());
                return "switched " + record + " " + before.get(0) + " -> " + toAddress[0] + ", verified";
            });
            long moveMillis = (System.nanoTime() - moveStart) / 1_000_000;
            if (switched == null) {
                // Not verified may still have applied: the new standby stays up then, so the name never points at a stopped one.
                boolean maybeApplied = steps.lastDetail().startsWith("switched ");
                if (!maybeApplied) undo(to, m, startedHere[0], steps, notes);
                else notes.add("standby " + m.to().name() + " left running: the switch may have applied");
                return new Result(conflict[0] ? ExitCode.CONFLICT : ExitCode.DNS_FAILED, "not moved: standby " + m.to().name()
                        + " answers but the DNS switch failed: " + steps.lastDetail() + "; " + m.service() + " stays on " + m.from().name());
            }
            Duration wait = drainOf(rb);
            steps.run("drain", () -> {
                sleeper.sleep(wait);
                return "waited " + wait.toMillis() + " ms (record TTL " + d.ttl() + " s) for clients to follow";
            });
            String stopped = steps.run("stop-old", () -> {
                from.stop(m.from().target(), limits.startTimeout());
                return "stopped " + m.from().name() + " (" + m.from().backend() + " " + m.from().target() + ") on " + m.from().zabbixHost();
            });
            if (stopped == null) {
                notes.add("old standby " + m.from().name() + " still running: " + steps.lastDetail() + " (stop it with vcr standby stop)");
            }
            return new Result(ExitCode.OK, "moved from " + m.from().name() + " on " + m.from().zabbixHost() + " to " + m.to().name()
                    + " on " + m.to().zabbixHost() + " (" + toAddress[0] + "); move " + moveMillis + " ms"
                    + (stopped == null ? "; old standby NOT stopped" : "; old standby stopped"));
        } catch (RuntimeException e) {
            // a backend that cannot even be created (bad options, daemon unreachable): nothing was started
            return new Result(ExitCode.SERVICE_DOWN, "not moved: " + e.getMessage() + "; " + m.service() + " stays on " + m.from().name());
        }
    }

    private String check(Runbook rb, String address, int portOverride) throws Exception {
        Instant deadline = Instant.now().plus(rb.limits().checkTimeout());
        List<String> details = new ArrayList<>();
        for (Runbook.Check c : rb.checks()) {
            Runbook.Check k = c.onPort(portOverride);
            CheckResult r = checker.checkUntil(new InetSocketAddress(InetAddress.getByName(address), k.port()), k.protocol(),
                    k.timeout(), deadline, RETRY);
            details.add(r.summary());
            if (!r.up()) throw new Steps.Failed(String.join("; ", details));
        }
        return String.join("; ", details);
    }

    private static void undo(StandbyBackend to, Move m, boolean startedHere, Steps steps, List<String> notes) {
        if (!startedHere) return;
        if (steps.run("undo", () -> {
            to.stop(m.to().target(), m.runbook().limits().startTimeout());
            return "stopped " + m.to().name() + " again";
        }) == null) {
            notes.add("standby " + m.to().name() + " started by this move is still running: " + steps.lastDetail());
        }
    }

    private static RecoveryReport report(Move m, String eventId, ExitCode exit, String headline, Instant started, long t0,
                                         Steps steps, List<String> notes, String address) {
        Runbook rb = m.runbook();
        return new RecoveryReport(rb.service(), rb.source() == null ? null : rb.source().toString(), eventId, exit, headline,
                exit == ExitCode.OK ? m.to().name() : null, exit == ExitCode.OK ? address : null, started,
                (System.nanoTime() - t0) / 1_000_000, steps.list(), notes);
    }
}
