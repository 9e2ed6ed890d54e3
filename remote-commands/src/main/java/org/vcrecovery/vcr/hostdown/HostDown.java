package org.vcrecovery.vcr.hostdown;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.breaker.Approvals;
import org.vcrecovery.vcr.breaker.FailureWindow;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.AuditLog;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.ServiceLock;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.recover.ZabbixPort;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * {@code vcr recover --host-down KVMHOST}: every VM of a dead KVM host recovered, in parallel.
 *
 * <pre>
 *  host lock → dedup (host event) → event still open → KVM host in maintenance → proof (once) → kill switch + breaker (one failure)
 *   → VMs' maintenance and own events (one request, {@link VmGuard})
 *   → per VM, bounded (parallel / per standby host / per zone / per backend): the VM's own Recovery
 *     (its lock, standby start + check, DNS compare-and-swap, report, audit; its own event, if open, acknowledged with it)
 *   → one summary ack on the host's event
 * </pre>
 * The guard's questions, the VMs' question and the proof only read: they start together at once. The host is the
 * fencing unit ({@link HostProof}): a VM proven dead by it skips its own confirm and fence
 * ({@code Recovery.runProven}); a VM whose domain still runs gets its own run (confirm, fence);
 * a VM whose service answers, or whose own Zabbix host is in maintenance, is left alone. One VM failing holds back no other. Exit: 0 when
 * every VM that was down is recovered, {@link ExitCode#PARTIAL} when some are not (the lines say
 * which), else the host guard's code (9, 10, 11, 13, 14, 15, 3) with nothing touched.
 * Never throws for what happens on the network.
 */
public final class HostDown {
    /** Runs one VM's recovery: with the host's {@code proof} (its confirm and fence), or null for a run of its own. */
    public interface VmRunner {
        RecoveryReport run(Runbook runbook, String proof);
    }

    /** The outside world: {@code zabbix} null when no API is configured. */
    public record Ports(ZabbixPort zabbix, StandbyBackends backends, ServiceChecker checker, VmRunner vms) {}

    static final String PREFIX = "host-down.";

    private final String kvmHost;
    private final List<Runbook> runbooks;
    private final VcrConfig config;
    private final Ports ports;
    private final PrintWriter err;

    public HostDown(String kvmHost, List<Runbook> runbooks, VcrConfig config, Ports ports, PrintWriter err) {
        this.kvmHost = kvmHost;
        this.runbooks = List.copyOf(runbooks);
        this.config = config;
        this.ports = ports;
        this.err = err;
    }

    /** The host's name in the state dir's lock, dedup, breaker and audit ({@code host-down.KVMHOST}). */
    String name() {
        return PREFIX + kvmHost;
    }

    public HostDownReport run(String eventId) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        HostSteps steps = new HostSteps();
        List<String> notes = new ArrayList<>();
        ExecutorService io = Executors.newCachedThreadPool(daemon("vcr-host-io"));
        Limiter limiter = new Limiter(config.hostDown());
        List<RecoveryReport> vms = new ArrayList<>();
        ExitCode exit;
        String headline;
        try {
            ZabbixPort z = ports.zabbix();
            ZabbixPort.Questions q = z == null ? null
                    : z.ask(io, kvmHost, eventId, eventId == null ? null : KillSwitch.MACRO);
            Future<HostProof.Result> proof = io.submit(() -> HostProof.prove(kvmHost, runbooks, ports.backends(),
                    ports.checker(), io, maxFence()));
            VmGuard vmGuard = VmGuard.ask(z, io, runbooks, config);
            ServiceLock[] lock = {null};
            try {
                StepResult l = steps.step("lock", () -> {
                    Optional<ServiceLock> got = ServiceLock.tryAcquire(config.stateDir(), name());
                    if (got.isEmpty()) return HostSteps.Done.failed("held by " + ServiceLock.holder(config.stateDir(), name()));
                    lock[0] = got.get();
                    return HostSteps.Done.ok("locked");
                });
                HostGuard.Stop stop = l.ok() ? null : new HostGuard.Stop(l.detail().startsWith("held by")
                        ? ExitCode.IN_PROGRESS : ExitCode.USAGE, "host-down " + kvmHost + " already in progress, " + l.detail());
                HostGuard guard = new HostGuard(kvmHost, name(), eventId, config, steps, notes);
                if (stop == null) stop = guard.before(q);
                HostProof.Result p = null;
                if (stop == null) {
                    p = awaitProof(proof, steps);
                    stop = p == null ? new HostGuard.Stop(ExitCode.FENCING_FAILED, "not recovered: KVM host " + kvmHost
                            + " could not be proven dead; DNS left alone")
                            : p.count(HostProof.Kind.ALIVE) == runbooks.size()
                            ? new HostGuard.Stop(ExitCode.PRIMARY_HEALTHY, "KVM host " + kvmHost + " is healthy: all "
                                    + runbooks.size() + " services answer; nothing touched") : null;
                }
                if (stop == null) stop = guard.breaker(q == null ? null : q.globalMacro());
                if (stop != null) {
                    exit = stop.exit();
                    headline = stop.headline();
                    proof.cancel(true);
                } else {
                    vmGuard.await(steps, notes, runbooks);
                    vms = recoverAll(p, vmGuard, limiter, steps);
                    long ok = vms.stream().filter(RecoveryReport::recovered).count();
                    long alive = vms.stream().filter(v -> v.exitCode() == ExitCode.PRIMARY_HEALTHY).count();
                    long maintenance = vms.stream().filter(v -> v.exitCode() == ExitCode.IN_MAINTENANCE).count();
                    long down = vms.size() - alive - maintenance;
                    exit = ok == down ? ExitCode.OK : ExitCode.PARTIAL;
                    headline = "host-down " + kvmHost + ": " + ok + " of " + down + " VMs recovered"
                            + (exit == ExitCode.OK ? "" : ", " + (down - ok) + " not")
                            + (alive == 0 ? "" : ", " + alive + " answering left alone")
                            + (maintenance == 0 ? "" : ", " + maintenance + " in maintenance left alone");
                    if (exit == ExitCode.OK && eventId != null) guard.recordDedup();
                }
                HostDownReport draft = report(eventId, exit, headline, started, t0, steps, notes, vms, limiter);
                if (exit != ExitCode.IN_PROGRESS && exit != ExitCode.DUPLICATE) ack(eventId, exit, draft, steps, notes);
                HostDownReport done = report(eventId, exit, headline, started, t0, steps, notes, vms, limiter);
                try {
                    new AuditLog(config.stateDir()).append(done.host());
                } catch (IOException e) {
                    err.println("vcr: " + name() + ": audit log not written: " + e.getMessage());
                }
                return done;
            } finally {
                if (lock[0] != null) {
                    try {
                        lock[0].close();
                    } catch (IOException e) {
                        err.println("vcr: " + name() + ": cannot release lock: " + e.getMessage());
                    }
                }
            }
        } finally {
            io.shutdownNow();
        }
    }

    private HostDownReport report(String eventId, ExitCode exit, String headline, Instant started, long t0, HostSteps steps,
                                  List<String> notes, List<RecoveryReport> vms, Limiter limiter) {
        return new HostDownReport(kvmHost, HostDownReport.hostReport(kvmHost, eventId, exit, headline, started,
                (System.nanoTime() - t0) / 1_000_000, steps.all(), notes), vms, limiter.peaks());
    }

    /** The longest fence timeout of the runbooks: how long the proof may take. */
    private Duration maxFence() {
        Duration d = Duration.ofSeconds(1);
        for (Runbook rb : runbooks) if (rb.limits().fenceTimeout().compareTo(d) > 0) d = rb.limits().fenceTimeout();
        return d;
    }

    private HostProof.Result awaitProof(Future<HostProof.Result> proof, HostSteps steps) {
        HostProof.Result[] out = {null};
        steps.step("proof", () -> {
            out[0] = proof.get(maxFence().toMillis() + 2000, TimeUnit.MILLISECONDS);
            boolean any = out[0].count(HostProof.Kind.DEAD) + out[0].count(HostProof.Kind.UNPROVEN) > 0;
            return any ? HostSteps.Done.ok(out[0].summary()) : HostSteps.Done.failed(out[0].summary());
        });
        return out[0];
    }

    /**
     * Every VM that is down, in parallel within the limits; the answering ones and those in
     * maintenance reported as left alone; each VM's own open event given its report.
     */
    private List<RecoveryReport> recoverAll(HostProof.Result p, VmGuard vmGuard, Limiter limiter, HostSteps steps) {
        List<RecoveryReport> out = new ArrayList<>();
        steps.step("recover", () -> {
            int n = runbooks.size();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, config.hostDown().parallel())),
                    daemon("vcr-host-vm"));
            try {
                // Longest first: the VMs whose standby must boot or start take the permits before the
                // warm ones, whose few milliseconds then fill in beside them (not after them).
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < n; i++) order.add(i);
                order.sort(java.util.Comparator.comparingInt(i -> slowFirst(runbooks.get(i))));
                List<Future<RecoveryReport>> runs = new ArrayList<>(java.util.Collections.nCopies(n, null));
                for (int i : order) {
                    Runbook rb = runbooks.get(i);
                    HostProof.Vm v = p.vms().get(rb.service());
                    RecoveryReport instead = v.kind() == HostProof.Kind.ALIVE ? leftAlone(rb, v) : vmGuard.instead(rb);
                    runs.set(i, pool.submit(() -> vmGuard.ackOwnEvents(rb, instead != null ? instead : one(rb, v, limiter))));
                }
                for (Future<RecoveryReport> f : runs) out.add(f.get());
            } finally {
                pool.shutdownNow();
            }
            long ok = out.stream().filter(RecoveryReport::recovered).count();
            return HostSteps.Done.ok(ok + " of " + n + " recovered; peaks " + limiter.peaks());
        });
        return out;
    }

    /** 0 for a standby that boots (a VM), 1 a container to start, 2 a VM to resume, 3 a warm one: the order runs are started in. */
    static int slowFirst(Runbook rb) {
        return switch (rb.standbys().get(0).kind()) {
            case VM -> 0;
            case COLD_CONTAINER -> 1;
            case SUSPENDED_VM -> 2;
            case WARM_CONTAINER -> 3;
        };
    }

    private RecoveryReport one(Runbook rb, HostProof.Vm v, Limiter limiter) {
        Instant at = Instant.now();
        try (AutoCloseable permit = limiter.acquire(rb)) {
            return ports.vms().run(rb, v.kind() == HostProof.Kind.DEAD ? v.detail() : null);
        } catch (Exception | Error e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            return new RecoveryReport(rb.service(), rb.source() == null ? null : rb.source().toString(), null, ExitCode.FAILED,
                    "not recovered: " + why, null, null, at, java.time.Duration.between(at, Instant.now()).toMillis(),
                    List.of(), List.of());
        }
    }

    private static RecoveryReport leftAlone(Runbook rb, HostProof.Vm v) {
        Instant now = Instant.now();
        return new RecoveryReport(rb.service(), rb.source() == null ? null : rb.source().toString(), null,
                ExitCode.PRIMARY_HEALTHY, "primary is healthy: " + v.detail() + "; nothing touched", null, null, now, 0,
                List.of(new StepResult("confirm", Outcome.FAILED, now, 0, v.detail())), List.of());
    }

    private void ack(String eventId, ExitCode exit, HostDownReport draft, HostSteps steps, List<String> notes) {
        if (eventId == null) return;
        ZabbixPort z = ports.zabbix();
        if (z == null) {
            notes.add("event " + eventId + " not acknowledged: no Zabbix API in the config");
            return;
        }
        StepResult r = steps.step("ack", () -> {
            z.acknowledge(eventId, draft.ackMessage(), exit == ExitCode.OK);
            return HostSteps.Done.ok("event " + eventId + (exit == ExitCode.OK ? " acknowledged" : " annotated (left unacknowledged)"));
        });
        if (!r.ok()) notes.add("ack failed: " + r.detail());
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
