package org.vcrecovery.vcr.hostdown;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.recover.ZabbixPort;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * What a host-down run asks about each VM, once for all of them (one request, started with the
 * proof): is the VM's own Zabbix host in maintenance, and has the VM an open vm-down problem of
 * its own. A VM in maintenance is left alone, as a run for it alone would leave it (the KVM host's
 * maintenance is the host guard's); one whose maintenance cannot be told follows
 * {@code maintenance-unknown} (recovered with a note, or not recovered). A VM's own open problem
 * gets the VM's own steps (its report's acknowledgement; acknowledged when it was recovered, and
 * then recorded in the VM's dedup log so that the VM's own action, coming later, is a duplicate);
 * the host's event gets the summary.
 */
final class VmGuard {
    private final Future<ZabbixPort.VmAnswers> answers;
    private final ZabbixPort zabbix;
    private final VcrConfig config;
    private ZabbixPort.VmAnswers known;

    private VmGuard(Future<ZabbixPort.VmAnswers> answers, ZabbixPort zabbix, VcrConfig config) {
        this.answers = answers;
        this.zabbix = zabbix;
        this.config = config;
    }

    /** Starts the question on {@code io} for {@code runbooks}' VMs; nothing is asked without a Zabbix API. */
    static VmGuard ask(ZabbixPort zabbix, ExecutorService io, List<Runbook> runbooks, VcrConfig config) {
        if (zabbix == null || runbooks.isEmpty()) return new VmGuard(null, null, config);
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> vms = new LinkedHashSet<>();
        for (Runbook rb : runbooks) {
            hosts.add(rb.zabbixHost());
            if (rb.primary().domain() != null) vms.add(rb.primary().domain());
        }
        return new VmGuard(io.submit(() -> zabbix.vms(hosts, vms)), zabbix, config);
    }

    /** Waits for the answers as the host step {@code vms}; what stays unknown is a note. */
    void await(HostSteps steps, List<String> notes, List<Runbook> runbooks) {
        if (answers == null) {
            steps.step("vms", () -> HostSteps.Done.skipped("no Zabbix API configured: VMs' maintenance not checked"));
            return;
        }
        StepResult r = steps.step("vms", () -> {
            try {
                known = answers.get(timeoutMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            List<String> in = new ArrayList<>();
            int unknown = 0;
            int events = 0;
            for (Runbook rb : runbooks) {
                Boolean m = known.inMaintenance() == null ? null : known.inMaintenance().get(rb.zabbixHost());
                if (Boolean.TRUE.equals(m)) in.add(rb.service());
                if (m == null) unknown++;
                events += ownEvents(rb).size();
            }
            return HostSteps.Done.ok(in.size() + " of " + runbooks.size() + " VMs in maintenance" + (in.isEmpty() ? "" : " (" + String.join(", ", in) + ")")
                    + (unknown == 0 ? "" : ", " + unknown + " unknown") + "; " + events + " open VM event" + (events == 1 ? "" : "s"));
        });
        if (!r.ok()) {
            answers.cancel(true);
            known = new ZabbixPort.VmAnswers(null, r.detail(), null, r.detail());
        }
        List<String> unknown = new ArrayList<>();
        for (Runbook rb : runbooks) if (inMaintenance(rb) == null) unknown.add(rb.service());
        if (!unknown.isEmpty() && !refuse()) {
            notes.add("maintenance of " + unknown.size() + " VM" + (unknown.size() == 1 ? "" : "s") + " unknown (" + why(unknown, runbooks)
                    + "): recovered anyway");
        }
        if (known.events() == null) notes.add("VMs' own events unknown (" + known.eventsUnknown() + "): only the host's event acknowledged");
    }

    /**
     * The report that stands for {@code rb}'s run when it must not run (in maintenance, or its
     * maintenance unknown and the policy is refuse); null to recover it.
     */
    RecoveryReport instead(Runbook rb) {
        if (answers == null) return null;
        Boolean m = inMaintenance(rb);
        Instant now = Instant.now();
        if (Boolean.TRUE.equals(m)) {
            return report(rb, ExitCode.IN_MAINTENANCE, "left alone: host " + rb.zabbixHost() + " is in maintenance",
                    new StepResult("maintenance", Outcome.FAILED, now, 0, "host " + rb.zabbixHost() + " is in maintenance"));
        }
        if (m == null && refuse()) {
            String why = why(List.of(rb.service()), List.of(rb));
            return report(rb, ExitCode.UNREACHABLE, "not recovered: cannot tell whether " + rb.zabbixHost()
                    + " is in maintenance (" + why + "); maintenance-unknown is refuse",
                    new StepResult("maintenance", Outcome.FAILED, now, 0, why));
        }
        return null;
    }

    /**
     * Gives each open vm-down problem of {@code rb}'s VM the VM's own report ({@code r}): its
     * acknowledgement message, the event acknowledged when the VM was recovered (and then recorded
     * as handled in the VM's dedup log). Returns {@code r} with a note per event.
     */
    RecoveryReport ackOwnEvents(Runbook rb, RecoveryReport r) {
        List<String> ids = ownEvents(rb);
        if (ids.isEmpty()) return r;
        List<String> notes = new ArrayList<>(r.notes());
        for (String id : ids) {
            try {
                zabbix.acknowledge(id, r.ackMessage(), r.recovered());
                notes.add("its event " + id + (r.recovered() ? " acknowledged" : " annotated (left unacknowledged)"));
                if (r.recovered()) new DedupLog(config.stateDir(), rb.service()).record(id, Instant.now());
            } catch (IOException e) {
                notes.add("its event " + id + " not acknowledged: " + e.getMessage());
            }
        }
        return new RecoveryReport(r.service(), r.runbook(), r.eventId(), r.exitCode(), r.headline(), r.standby(), r.address(),
                r.started(), r.millis(), r.steps(), notes);
    }

    private long timeoutMillis() {
        return config.zabbix() == null ? 5000 : config.zabbix().timeout().toMillis();
    }

    private boolean refuse() {
        return config.zabbix() != null && config.zabbix().maintenanceUnknown() == VcrConfig.MaintenanceUnknown.REFUSE;
    }

    private List<String> ownEvents(Runbook rb) {
        if (known == null || known.events() == null || rb.primary().domain() == null) return List.of();
        return known.events().getOrDefault(rb.primary().domain(), List.of());
    }

    /** In maintenance, not, or null: unknown. */
    private Boolean inMaintenance(Runbook rb) {
        return known == null || known.inMaintenance() == null ? null : known.inMaintenance().get(rb.zabbixHost());
    }

    private String why(List<String> services, List<Runbook> runbooks) {
        if (known.inMaintenance() == null) return "Zabbix: " + known.maintenanceUnknown();
        List<String> hosts = new ArrayList<>();
        for (Runbook rb : runbooks) if (services.contains(rb.service())) hosts.add(rb.zabbixHost());
        return "no Zabbix host named " + (hosts.size() <= 5 ? String.join(", ", hosts)
                : String.join(", ", hosts.subList(0, 5)) + " and " + (hosts.size() - 5) + " more");
    }

    private static RecoveryReport report(Runbook rb, ExitCode exit, String headline, StepResult step) {
        return new RecoveryReport(rb.service(), rb.source() == null ? null : rb.source().toString(), null, exit, headline,
                null, null, step.started(), 0, List.of(step), List.of());
    }
}
