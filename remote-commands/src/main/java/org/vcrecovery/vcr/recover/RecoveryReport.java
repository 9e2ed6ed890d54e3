package org.vcrecovery.vcr.recover;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;

/**
 * The result of one {@code vcr recover} run: the exit code, a headline, every step, and where
 * the service ended up. Renders itself three ways: the one-line summary printed on stdout, the
 * full JSON report ({@code --json} and the audit log), and the acknowledgement message for the
 * Zabbix event (bounded to {@link #ACK_LIMIT} characters).
 *
 * @param standby  the standby now serving, or null (not recovered, or recovered in place)
 * @param address  the address DNS now points at, or null
 * @param headline {@code recovered on web-warm (127.0.10.2)}, {@code no standby passed its checks}, ...
 * @param notes    warnings that did not change the outcome (maintenance unknown, ack failed, ...)
 */
public record RecoveryReport(String service, String runbook, String eventId, ExitCode exitCode, String headline,
                             String standby, String address, Instant started, long millis,
                             List<StepResult> steps, List<String> notes) {
    /** Zabbix 6.0's limit on an acknowledgement message (acknowledges.message is varchar(2048)). */
    public static final int ACK_LIMIT = 2048;

    public RecoveryReport {
        Objects.requireNonNull(service, "service == null");
        Objects.requireNonNull(exitCode, "exitCode == null");
        Objects.requireNonNull(headline, "headline == null");
        Objects.requireNonNull(started, "started == null");
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    public boolean recovered() {
        return exitCode == ExitCode.OK;
    }

    /**
     * {@code web: recovered on web-warm (127.0.10.2) in 182 ms: fence 12 ms, check 3 ms, dns 41 ms, ack 60 ms}
     * (guard steps that passed are left out; failed steps show their outcome; notes follow after "; ").
     */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(service).append(": ").append(headline)
                .append(" in ").append(millis).append(" ms");
        String sep = ": ";
        for (StepResult s : steps) {
            if (s.ok() && (s.name().equals("lock") || s.name().equals("dedup") || s.name().equals("confirm"))) continue;
            sb.append(sep).append(s.name());
            if (!s.ok()) sb.append(' ').append(s.outcome().label());
            sb.append(' ').append(s.millis()).append(" ms");
            sep = ", ";
        }
        for (String n : notes) sb.append("; ").append(n);
        return sb.toString();
    }

    /** The message for event.acknowledge: headline, then every step on its own line, cut to the limit. */
    public String ackMessage() {
        StringBuilder sb = new StringBuilder("vcr: ").append(service).append(' ').append(headline)
                .append(" in ").append(millis).append(" ms (exit ").append(exitCode.code()).append(' ')
                .append(exitCode.name()).append(')');
        for (StepResult s : steps) sb.append('\n').append(s.line());
        for (String n : notes) sb.append("\nnote: ").append(n);
        return cut(sb.toString(), ACK_LIMIT);
    }

    static String cut(String s, int limit) {
        if (s.length() <= limit) return s;
        String tail = " [...]";
        return s.substring(0, limit - tail.length()) + tail;
    }

    /** The full report as one line of JSON. */
    public String toJson() {
        Json j = new Json().open()
                .field("service", service)
                .field("runbook", runbook)
                .field("event_id", eventId)
                .field("exit_code", exitCode.code())
                .field("result", exitCode.name())
                .field("headline", headline)
                .field("standby", standby)
                .field("address", address)
                .field("started", started.toString())
                .field("millis", millis)
                .openArray("steps");
        for (StepResult s : steps) {
            j.open().field("name", s.name()).field("outcome", s.outcome().label())
                    .field("started", s.started().toString()).field("millis", s.millis())
                    .field("detail", s.detail()).close();
        }
        j.closeArray().openArray("notes");
        for (String n : notes) j.value(n);
        return j.closeArray().close().toString();
    }
}
