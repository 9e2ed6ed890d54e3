package org.vcrecovery.vcr.runbook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.config.Durations;
import org.vcrecovery.vcr.runbook.Runbook.Check;
import org.vcrecovery.vcr.runbook.Runbook.FencingMode;
import org.vcrecovery.vcr.ladder.LadderAction;
import org.vcrecovery.vcr.ladder.LadderStep;
import org.vcrecovery.vcr.runbook.Runbook.Standby;

/**
 * A runbook explained in words, step by step, the way {@code vcr recover} will execute it:
 * what {@code vcr runbook show} and {@code vcr recover --plan} print. Pure: touches nothing.
 */
public final class RunbookPlan {
    private RunbookPlan() {}

    /** The plan, one line per element; {@code dedupWindow} is the window that applies (runbook's or config's). */
    public static List<String> describe(Runbook rb, Duration dedupWindow) {
        List<String> out = new ArrayList<>();
        Runbook.Primary p = rb.primary();
        Runbook.Limits l = rb.limits();
        Runbook.Dns d = rb.dns();
        out.add("Runbook " + rb.service() + (rb.source() == null ? "" : " (" + rb.source() + ")"));
        out.add("Primary: " + (p.domain() == null ? "not a libvirt domain" : "libvirt domain " + p.domain() + " on " + p.uri())
                + ", serving at " + p.address() + "; Zabbix host " + rb.zabbixHost()
                + (p.kvmHost() == null ? "" : "; on KVM host " + p.kvmHost() + " (vcr recover --host-down " + p.kvmHost() + ")") + ".");
        out.add("Checks that prove the service answers: " + checks(rb.checks()) + ".");
        out.add("When vcr recover runs for " + rb.service() + ":");
        int n = 1;
        out.add("  " + n++ + ". Guard: take the lock of " + rb.service() + " (a concurrent run exits 9, naming the holder);"
                + " drop an event already recovered, or any event within " + Durations.format(dedupWindow)
                + " of the last recovery (exit 10); leave it alone if Zabbix host " + rb.zabbixHost()
                + " is in maintenance (exit 11).");
        out.add("  " + n++ + ". Read " + d.fqdn() + " " + d.type() + " at " + d.server() + ":" + d.port()
                + ": it must hold the primary's " + p.address() + " (or a standby's, after an earlier run),"
                + " else exit 12 with nothing changed; no answer is exit 3.");
        if (!rb.ladder().isEmpty()) {
            out.add("  " + n++ + ". Recovery ladder, before failing over (stops as soon as the primary answers again, exit 0, DNS untouched):");
            char c = 'a';
            for (LadderStep s : rb.ladder()) out.add("       " + c++ + ". " + LadderAction.planLine(s, rb.zabbixHost(), rb.primary().domain()));
        }
        out.add("  " + n++ + ". Fence: " + fence(rb) + " Otherwise stop with exit 8 and leave DNS alone"
                + (rb.fencing().allowUnfenced() ? " -- BUT allow-unfenced is true: DNS moves anyway, reported as UNFENCED." : "."));
        out.add("  " + n++ + ". Bring up the first standby that passes every check (checking for up to "
                + Durations.format(l.checkTimeout()) + " each); one we started and that fails is put back:");
        char c = 'a';
        for (Standby s : rb.standbys()) out.add("       " + c++ + ". " + standby(s, l));
        out.add("     None passes: exit 7, DNS left alone.");
        out.add("  " + n++ + ". Switch " + d.fqdn() + " " + d.type() + " from " + p.address()
                + " to that standby's address (compare-and-swap, TTL " + d.ttl() + ", "
                + (d.tsigFile() == null ? "unsigned" : "signed with the key in " + d.tsigFile())
                + "), then verify at the server (within " + Durations.format(l.dnsTimeout())
                + "); a record someone else changed is exit 12, nothing overwritten.");
        out.add("  " + n + ". Acknowledge the Zabbix event (when --event-id is given) with every step, outcome and time;"
                + " append the report to audit.jsonl; print one summary line (or JSON).");
        out.add("Limits: whole run " + Durations.format(l.deadline()) + "; fence " + Durations.format(l.fenceTimeout())
                + ", start " + Durations.format(l.startTimeout()) + ", check " + Durations.format(l.checkTimeout())
                + ", dns " + Durations.format(l.dnsTimeout()) + ", ack " + Durations.format(l.ackTimeout())
                + "; retries " + l.retries() + ".");
        return out;
    }

    /** The checks in words: {@code http on port 80 (each attempt 1s), ...}. */
    public static String checks(List<Check> checks) {
        List<String> parts = new ArrayList<>();
        for (Check c : checks) parts.add(c.protocol().label() + " on port " + c.port() + " (each attempt " + Durations.format(c.timeout()) + ")");
        return String.join(", ", parts);
    }

    private static String fence(Runbook rb) {
        Runbook.Primary p = rb.primary();
        String proof = "prove it dead: " + (p.domain() == null ? "(no domain to ask) " : "domain not running and ")
                + "nothing accepting on " + p.address() + " port(s) " + ports(rb.checks()) + ".";
        if (rb.fencing().mode() == FencingMode.VERIFY_DEAD) return proof.substring(0, 1).toUpperCase() + proof.substring(1);
        return rb.fencing().mode().yaml() + " domain " + p.domain() + " through libvirt (within "
                + Durations.format(rb.limits().fenceTimeout()) + "); if that fails, " + proof;
    }

    private static String ports(List<Check> checks) {
        List<String> ps = new ArrayList<>();
        for (Check c : checks) ps.add(Integer.toString(c.port()));
        return String.join(", ", ps);
    }

    private static String standby(Standby s, Runbook.Limits l) {
        String where = s.backend() + " " + s.target() + (s.options().isEmpty() ? "" : " " + s.options());
        String at = s.address() == null ? "address from " + s.backend() : s.address();
        String port = s.port() == 0 ? "" : ", checks on port " + s.port();
        String how = switch (s.kind()) {
            case WARM_CONTAINER -> "already running: check only";
            case COLD_CONTAINER -> "start the container (within " + Durations.format(l.startTimeout()) + "), then check";
            case SUSPENDED_VM -> "resume the suspended VM (within " + Durations.format(l.startTimeout()) + "), then check";
            case VM -> "start the VM (within " + Durations.format(l.startTimeout()) + "), then check";
        };
        String report = s.zabbixHost() == null ? "" : " Reports to Zabbix host " + s.zabbixHost() + " (item vcr.recovery.report).";
        return s.name() + ": " + s.kind().yaml() + " (" + where + ") at " + at + port + ": " + how + "." + report;
    }
}
