package org.vcrecovery.vcr.hostdown;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.StepResult;

/**
 * The outcome of {@code vcr recover --host-down}: the host's own run (its steps, exit code and
 * headline, as a {@link RecoveryReport} named {@code host-down.KVMHOST}) and one report per VM.
 * Renders a readable line per VM then the host's line, the JSON report (the host's fields, then
 * {@code vms}: each VM's full report, and {@code peaks}: the most recoveries held at once per
 * limit), and the one summary acknowledgement of the host's event (bounded to
 * {@link RecoveryReport#ACK_LIMIT} characters).
 */
record HostDownReport(String kvmHost, RecoveryReport host, List<RecoveryReport> vms, Map<String, Integer> peaks) {
    HostDownReport {
        vms = List.copyOf(vms);
        peaks = Map.copyOf(peaks);
    }

    ExitCode exitCode() {
        return host.exitCode();
    }

    long count(boolean recovered) {
        return vms.stream().filter(v -> !leftAlone(v) && v.recovered() == recovered).count();
    }

    /** VMs not recovered on purpose: their service answered, or their own Zabbix host is in maintenance. */
    long leftAlone() {
        return vms.stream().filter(HostDownReport::leftAlone).count();
    }

    private static boolean leftAlone(RecoveryReport v) {
        return v.exitCode() == ExitCode.PRIMARY_HEALTHY || v.exitCode() == ExitCode.IN_MAINTENANCE;
    }

    /** When the last VM's DNS switch ended, in ms after the host run started; -1 when none switched. */
    long lastSwitchMillis() {
        long last = -1;
        for (RecoveryReport v : vms) {
            for (StepResult s : v.steps()) {
                if (!s.name().equals("dns") || !s.ok()) continue;
                long end = s.started().toEpochMilli() + s.millis() - host.started().toEpochMilli();
                last = Math.max(last, end);
            }
        }
        return last;
    }

    List<String> lines() {
        List<String> out = new java.util.ArrayList<>();
        for (RecoveryReport v : vms) out.add(v.summary());
        out.add(host.summary());
        return out;
    }

    String toJson() {
        String head = host.toJson();
        StringBuilder sb = new StringBuilder(head.substring(0, head.length() - 1));
        sb.append(",\"kvm_host\":").append(quoted(kvmHost));
        sb.append(",\"recovered\":").append(count(true)).append(",\"not_recovered\":").append(count(false))
                .append(",\"left_alone\":").append(leftAlone());
        sb.append(",\"last_dns_switch_millis\":").append(lastSwitchMillis());
        sb.append(",\"peaks\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(peaks).entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(quoted(e.getKey())).append(':').append(e.getValue());
        }
        sb.append("},\"vms\":[");
        for (int i = 0; i < vms.size(); i++) sb.append(i == 0 ? "" : ",").append(vms.get(i).toJson());
        return sb.append("]}").toString();
    }

    private static String quoted(String s) {
        return new Json().value(s).toString();
    }

    /**
     * {@code vcr: host-down kvm1: 48 recovered, 2 not (1 held) in 1840 ms; proof ...; per VM: web1 ok web1-warm 310 ms; ...}.
     * A run stopped before any VM names the host run first, as a single service's message names
     * its service: {@code vcr: host-down.kvm1 held: ...} (what {@code vcr approve --held} looks for).
     */
    String ackMessage() {
        String head = host.headline().startsWith("host-down ") ? host.headline() : host.service() + " " + host.headline();
        StringBuilder sb = new StringBuilder("vcr: ").append(head).append(" in ").append(host.millis()).append(" ms");
        for (StepResult s : host.steps()) {
            if (s.name().equals("proof") || !s.ok()) sb.append("; ").append(s.line());
        }
        sb.append("; per VM:");
        for (RecoveryReport v : vms) {
            sb.append(' ').append(v.service()).append(' ')
                    .append(v.recovered() ? "ok " + v.standby() : v.exitCode().name().toLowerCase(java.util.Locale.ROOT))
                    .append(' ').append(v.millis()).append(" ms;");
        }
        String m = sb.toString();
        return m.length() <= RecoveryReport.ACK_LIMIT ? m : m.substring(0, RecoveryReport.ACK_LIMIT - 3) + "...";
    }

    static RecoveryReport hostReport(String kvmHost, String eventId, ExitCode exit, String headline, Instant started,
                                     long millis, List<StepResult> steps, List<String> notes) {
        return new RecoveryReport("host-down." + kvmHost, null, eventId, exit, headline, null, null, started, millis, steps, notes);
    }
}
