package org.vcrecovery.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one failover run measured: the moments it found ({@link Mark}), when a client could use the
 * standby (name resolves to it and its port answers), and what the drill verified afterwards.
 *
 * @param run          1-based run number
 * @param eventId      the Zabbix problem event, or null when none was seen
 * @param marks        the moments found, in {@link Mark} order; missing ones are absent
 * @param clientOk     when the outside watcher first saw the standby's address and its port answer, or null
 * @param dnsAnswer    what the name resolved to at the end
 * @param portAnswers  whether the standby's port answered at the end
 * @param acknowledged whether event.get shows the event acknowledged with the step list
 * @param vcrResult    the result of vcr recover from its report (OK, SERVICE_DOWN, ...), or null
 * @param failure      why the run did not recover, or null when it did
 * @param vcr          whether vcr serve ran vcr recover or a fresh JVM did (a run that was not served
 *                     although serve was on still recovers: that is not a failure of the recovery)
 */
public record RunResult(int run, String eventId, Map<Mark, Instant> marks, Instant clientOk, String dnsAnswer,
                        boolean portAnswers, boolean acknowledged, String vcrResult, String failure, VcrRun vcr) {
    public RunResult {
        Objects.requireNonNull(marks, "marks == null");
        Objects.requireNonNull(vcr, "vcr == null");
        EnumMap<Mark, Instant> m = new EnumMap<>(Mark.class);
        m.putAll(marks);
        marks = java.util.Collections.unmodifiableMap(m);
    }

    /** A run with vcr as a fresh JVM, asked for ({@code --no-serve}). */
    public RunResult(int run, String eventId, Map<Mark, Instant> marks, Instant clientOk, String dnsAnswer,
                     boolean portAnswers, boolean acknowledged, String vcrResult, String failure) {
        this(run, eventId, marks, clientOk, dnsAnswer, portAnswers, acknowledged, vcrResult, failure, VcrRun.freshJvm());
    }

    public boolean recovered() {
        return failure == null;
    }

    /** Milliseconds from {@link Mark#INJECTED} to {@code t}, or null. */
    public Long since(Instant t) {
        Instant t0 = marks.get(Mark.INJECTED);
        return t0 == null || t == null ? null : Duration.between(t0, t).toMillis();
    }

    /** Each leg (named by the mark that ends it) in ms from the previous mark; legs with a missing end are absent. */
    public Map<Mark, Long> legs() {
        Map<Mark, Long> out = new LinkedHashMap<>();
        Instant prev = null;
        for (Mark m : Mark.values()) {
            Instant t = marks.get(m);
            if (t == null) {
                prev = null;
                continue;
            }
            if (prev != null) out.put(m, Duration.between(prev, t).toMillis());
            prev = t;
        }
        return out;
    }

    /** Failure injected until a client reaches the standby by name, in ms, or null. */
    public Long totalMillis() {
        return since(clientOk);
    }

    /** True when every mark is present and none is earlier than the one before it. */
    public boolean ordered() {
        Instant prev = null;
        for (Mark m : Mark.values()) {
            Instant t = marks.get(m);
            if (t == null || (prev != null && t.isBefore(prev))) return false;
            prev = t;
        }
        return true;
    }
}
