package org.vcrecovery.vcr.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;

/**
 * What one {@code vcr pool grow|shrink} did: every step with its outcome and duration (steps that
 * ran in parallel overlap), the RRset before and after, and the outcome as an exit code and one
 * headline. Printed as one readable line (what Zabbix records) or one JSON object, and appended
 * to the audit log. Steps may be added from several threads.
 */
public final class PoolReport {
    /** One timed step: {@code at} is its start in ms since the run started. */
    public record Step(String name, boolean ok, long at, long millis, String detail) {
        public Step {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(detail, "detail == null");
        }
    }

    private final String service;
    private final String action;
    private final Instant started = Instant.now();
    private final long t0 = System.nanoTime();
    private final List<Step> steps = Collections.synchronizedList(new ArrayList<>());
    private List<String> before = List.of();
    private List<String> after = List.of();
    private ExitCode code = ExitCode.OK;
    private String headline = "";
    private long totalMillis = -1;

    public PoolReport(String service, String action) {
        this.service = Objects.requireNonNull(service, "service == null");
        this.action = Objects.requireNonNull(action, "action == null");
    }

    /** Milliseconds since the run started. */
    public long now() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Records a step that started at {@code startNanos} ({@link System#nanoTime}) and ends now. */
    public Step step(String name, boolean ok, long startNanos, String detail) {
        Step s = new Step(name, ok, (startNanos - t0) / 1_000_000, (System.nanoTime() - startNanos) / 1_000_000, detail);
        steps.add(s);
        return s;
    }

    public void rrset(List<String> beforeValues, List<String> afterValues) {
        this.before = List.copyOf(beforeValues);
        this.after = List.copyOf(afterValues);
    }

    /** Ends the run with {@code exit} and {@code line}; returns this. */
    public PoolReport finish(ExitCode exit, String line) {
        this.code = exit;
        this.headline = line;
        this.totalMillis = now();
        return this;
    }

    public ExitCode code() {
        return code;
    }

    public String headline() {
        return headline;
    }

    public List<Step> steps() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }

    public List<String> after() {
        return after;
    }

    /** The step called {@code name}, if it ran. */
    public java.util.Optional<Step> stepNamed(String name) {
        return steps().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** {@code vcr pool grow web: exit 0 in 41 ms: ...; steps: read 2 ms, check p2 1 ms, ...}. */
    public String summary() {
        StringBuilder sb = new StringBuilder("vcr pool ").append(action).append(' ').append(service).append(": ")
                .append(headline).append(" (exit ").append(code.code()).append(", ").append(totalMillis).append(" ms");
        List<Step> all = steps();
        if (!all.isEmpty()) {
            sb.append("; ");
            for (int i = 0; i < all.size(); i++) {
                Step s = all.get(i);
                if (i > 0) sb.append(", ");
                sb.append(s.name()).append(' ').append(s.ok() ? "" : "FAILED ").append(s.millis()).append(" ms");
            }
        }
        return sb.append(')').toString();
    }

    public String toJson() {
        Json j = new Json().open().field("vcr", "pool").field("action", action).field("service", service)
                .field("started", started.toString()).field("exit", code.code()).field("result", code.name())
                .field("headline", headline).field("total_ms", totalMillis)
                .field("rrset_before", before).field("rrset_after", after).openArray("steps");
        for (Step s : steps()) {
            j.open().field("step", s.name()).field("ok", s.ok()).field("at_ms", s.at()).field("ms", s.millis())
                    .field("detail", s.detail()).close();
        }
        return j.closeArray().close().toString();
    }
}
