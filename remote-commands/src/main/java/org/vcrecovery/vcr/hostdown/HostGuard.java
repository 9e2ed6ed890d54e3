package org.vcrecovery.vcr.hostdown;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.breaker.Approvals;
import org.vcrecovery.vcr.breaker.FailureWindow;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.recover.ZabbixPort;

/**
 * The host run's guards, asked once for the whole host (never once per VM): the host event is
 * new (dedup) and still a problem, the KVM host is not in maintenance, and (after the proof)
 * automatic recovery is on and the breaker admits it. The host counts as ONE failure in the
 * breaker's window (under the name {@code host-down.KVMHOST}), however many VMs it carried; the
 * kill switch (file or macro) holds it like any automatic run; {@code vcr approve --host KVMHOST}
 * lets it through. Runs by hand (no event) are neither deduplicated, held nor counted, as for
 * one service.
 */
final class HostGuard {
    /** Why the host run stops before anything is touched. */
    record Stop(ExitCode exit, String headline) {}

    private final String kvmHost;
    private final String name;
    private final String eventId;
    private final VcrConfig config;
    private final HostSteps steps;
    private final List<String> notes;

    HostGuard(String kvmHost, String name, String eventId, VcrConfig config, HostSteps steps, List<String> notes) {
        this.kvmHost = kvmHost;
        this.name = name;
        this.eventId = eventId;
        this.config = config;
        this.steps = steps;
        this.notes = notes;
    }

    /** Dedup, event still open, maintenance: null to go on. */
    Stop before(ZabbixPort.Questions q) {
        if (eventId != null) {
            boolean[] dup = {false};
            StepResult d = steps.step("dedup", () -> {
                Optional<String> why = new DedupLog(config.stateDir(), name).duplicate(eventId, config.dedupWindow(),
                        java.time.Instant.now());
                dup[0] = why.isPresent();
                return why.map(HostSteps.Done::failed).orElseGet(() -> HostSteps.Done.ok("event " + eventId + " is new"));
            });
            if (dup[0]) return new Stop(ExitCode.DUPLICATE, "duplicate event dropped (" + d.detail() + ")");
            if (!d.ok()) notes.add("dedup check failed: " + d.detail());
        }
        if (q == null) return null;
        if (q.resolved() != null) {
            boolean[] gone = {false};
            StepResult r = steps.step("event", () -> {
                gone[0] = get(q.resolved());
                return gone[0] ? HostSteps.Done.failed("problem of event " + eventId + " already resolved")
                        : HostSteps.Done.ok("event " + eventId + " is still a problem");
            });
            if (gone[0]) return new Stop(ExitCode.STALE_EVENT, "left alone: the problem of event " + eventId
                    + " was already resolved when the action ran");
            if (!r.ok()) notes.add("event state unknown (Zabbix: " + r.detail() + "): recovered anyway");
        }
        if (q.inMaintenance() != null) {
            boolean[] in = {false};
            StepResult r = steps.step("maintenance", () -> {
                in[0] = get(q.inMaintenance());
                return in[0] ? HostSteps.Done.failed("KVM host " + kvmHost + " is in maintenance")
                        : HostSteps.Done.ok("KVM host " + kvmHost + " is not in maintenance");
            });
            if (in[0]) return new Stop(ExitCode.IN_MAINTENANCE, "left alone: KVM host " + kvmHost + " is in maintenance");
            if (!r.ok()) {
                if (config.zabbix().maintenanceUnknown() == VcrConfig.MaintenanceUnknown.REFUSE) {
                    return new Stop(ExitCode.UNREACHABLE, "not recovered: cannot tell whether KVM host " + kvmHost
                            + " is in maintenance (Zabbix: " + r.detail() + "); maintenance-unknown is refuse");
                }
                notes.add("maintenance unknown (Zabbix: " + r.detail() + "): recovered anyway");
            }
        }
        return null;
    }

    /** The kill switch and the circuit breaker, the host counted once; null to go on. */
    Stop breaker(Future<String> macro) {
        if (eventId == null) {
            steps.step("breaker", () -> HostSteps.Done.skipped("run by hand: not subject to the breaker"));
            return null;
        }
        String approve = "approve from the host menu or with `vcr approve --host " + kvmHost + "`";
        String[] held = {null};
        StepResult r = steps.step("breaker", () -> {
            DedupLog.Now now = DedupLog.Now.system();
            boolean approved = new Approvals(config.stateDir()).take(name, kvmHost, now);
            Optional<String> off = KillSwitch.byFile(config.stateDir()).or(() -> KillSwitch.byMacro(macroValue(macro)));
            if (off.isPresent() && !approved) {
                held[0] = "held: " + off.get() + "; run by hand or " + approve;
                return HostSteps.Done.failed(off.get());
            }
            FailureWindow.Decision d = new FailureWindow(config.stateDir()).admit(name, eventId, approved, config.breaker(), now);
            String count = d.failures() + " failure" + (d.failures() == 1 ? "" : "s") + " in " + d.window().toSeconds()
                    + " s (this KVM host counts once)";
            if (!d.admitted()) {
                held[0] = "held: " + count + " looks like a partition or a monitoring fault; " + approve;
                return HostSteps.Done.failed(count + ", limit " + config.breaker().limit());
            }
            return HostSteps.Done.ok(count + (approved ? " (approved by an operator)" : ", limit " + config.breaker().limit()));
        });
        if (r.ok()) return null;
        return new Stop(ExitCode.HELD, held[0] != null ? held[0]
                : "held: the circuit breaker cannot count failures (" + r.detail() + "); " + approve);
    }

    void recordDedup() {
        try {
            new DedupLog(config.stateDir(), name).record(eventId, java.time.Instant.now());
        } catch (IOException e) {
            notes.add("dedup record not written: " + e.getMessage());
        }
    }

    private String macroValue(Future<String> macro) {
        if (macro == null) return null;
        try {
            return macro.get(config.zabbix() == null ? 5000 : config.zabbix().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            notes.add("kill switch macro " + KillSwitch.MACRO + " unknown: treated as on");
            return null;
        }
    }

    private <T> T get(Future<T> f) throws Exception {
        try {
            return f.get(config.zabbix() == null ? 5000 : config.zabbix().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
