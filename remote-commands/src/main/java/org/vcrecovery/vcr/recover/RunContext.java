package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.StepRunner.Body;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * One run of a runbook as its {@link Stage}s see it: what was asked (runbook, config, event,
 * forced standby: final), the ports to the outside world, the run's {@link StepRunner} and
 * {@link RunBackends}, and the holder where a stage leaves what a later one needs (the DNS
 * record as read and its owner, the standby chosen) and the notes. The outcome is not set by
 * stages: each returns a {@link Verdict}, and {@link RunFrame} records the first stop
 * ({@link #end}) for the ack, the report and the audit line.
 *
 * <p>Thread-safety: notes, steps and backends may be used from any thread; the holder fields
 * belong to the thread running the stages.
 */
final class RunContext {
    /** The outside world a run talks to; {@code zabbix} null when no Zabbix API is configured. */
    record Ports(ZabbixPort zabbix, DnsPort dns, ServiceChecker checker, StandbyBackends backends) {}

    final Runbook runbook;
    final VcrConfig config;
    /** The Zabbix event, or null (by hand). */
    final String eventId;
    /** The only standby to try ({@code --standby}), or null. */
    final String forcedStandby;
    /**
     * The proof, established once for the whole KVM host ({@code vcr recover --host-down}), that
     * this primary is dead; null for a run of its own. When set it stands for this run's confirm
     * and fence, and the host's run did the breaker, kill switch and maintenance questions once.
     */
    final String hostProof;
    final ZabbixPort zabbix;
    final DnsPort dns;
    final ServiceChecker checker;
    final ExecutorService executor = RunFrame.executor();
    final PrintWriter err;
    final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    final StepRunner runner;
    final RunBackends backends;
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    /** The DNS record's values read before anything changed, and whose they are (null: nobody's or not read). */
    List<String> dnsBefore = List.of();
    DnsOwner owner;
    /** The standby DNS is switched to, once it passed its checks. */
    Runbook.Standby chosen;
    String chosenAddress;

    /** The outcome, once the run ended ({@link #end}); null while it goes on. */
    volatile ExitCode exit;
    volatile String headline;
    /** Whether the event's acknowledgement was attempted and failed ({@link AckStage}). */
    volatile boolean ackFailed;
    /** Run by {@link RunFrame} after the acknowledgement, still holding the lock; null: nothing. */
    Runnable afterAck;

    /** @param err where slow steps report progress (stderr) */
    RunContext(Runbook runbook, VcrConfig config, String eventId, String forcedStandby, Ports ports, PrintWriter err) {
        this(runbook, config, eventId, forcedStandby, null, ports, err);
    }

    RunContext(Runbook runbook, VcrConfig config, String eventId, String forcedStandby, String hostProof, Ports ports,
               PrintWriter err) {
        this.hostProof = hostProof;
        this.runbook = runbook;
        this.config = config;
        this.eventId = eventId;
        this.forcedStandby = forcedStandby;
        this.zabbix = ports.zabbix();
        this.dns = ports.dns();
        this.checker = ports.checker();
        this.err = err;
        this.runner = new StepRunner(runbook.service(), executor, err, runbook.limits().deadline());
        this.backends = new RunBackends(ports.backends());
    }

    /** Records the run's outcome: a stop verdict. */
    void end(Verdict v) {
        if (!v.stops()) throw new IllegalArgumentException("not an outcome: " + v);
        headline = v.headline();
        exit = v.exit();
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    Duration remaining() {
        return runner.remaining();
    }

    /** {@code d}, shortened to what is left of the run's deadline. */
    Duration bounded(Duration d) {
        return runner.bounded(d);
    }

    /** The run's backend {@code name} with {@code options} ({@link RunBackends#get}). */
    StandbyBackend backend(String name, Map<String, String> options) {
        return backends.get(name, options);
    }

    StepResult step(String name, Duration timeout, Body body) {
        return runner.step(name, timeout, body);
    }

    /** As {@link #step}; {@code lateUndo} runs if the body ends after the step was given up on. */
    StepResult step(String name, Duration timeout, Body body, Runnable lateUndo) {
        return runner.step(name, timeout, body, lateUndo);
    }

    StepResult cleanupStep(String name, Duration timeout, Body body) {
        return runner.cleanupStep(name, timeout, body);
    }

    StepRunner.Running begin(String name, Duration timeout, Body body) {
        return runner.begin(name, timeout, body);
    }

    StepResult await(StepRunner.Running running) {
        return runner.await(running);
    }

    static String oneLine(String s) {
        return StepRunner.oneLine(s);
    }
}
