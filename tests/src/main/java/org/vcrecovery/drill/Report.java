package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drill's outcome: every run's timeline, and per leg the median and p95 over the runs that
 * count: those that recovered with vcr run the way the drill asked ({@code serve}: handed to vcr
 * serve; else a fresh JVM). A run that recovered but was not served although serve was on is
 * shown with its timeline and a warning, and left out of the figures, so they never pass
 * fresh-JVM numbers off as served ones. Renders itself as text (for people), JSON (for machines;
 * {@link #toJson()}) and a chart ({@link Chart}). It is judged against the {@link Targets} of
 * its Zabbix version and mode: failure → client reaches the standby, and vcr's part (action ran
 * vcr → DNS switched; served runs only).
 */
public record Report(Mode mode, boolean viaSnmp, boolean serve, List<RunResult> runs, String standbyAddress, String name,
                     List<ProxyMarks> proxy, String zabbix) {
    public Report {
        runs = List.copyOf(runs);
        proxy = List.copyOf(proxy);
        if (zabbix == null) throw new NullPointerException("zabbix == null");
    }

    /** A drill on the default sandbox (Zabbix 7.0). */
    public Report(Mode mode, boolean viaSnmp, boolean serve, List<RunResult> runs, String standbyAddress, String name,
                  List<ProxyMarks> proxy) {
        this(mode, viaSnmp, serve, runs, standbyAddress, name, proxy, "7.0");
    }

    /** A drill on the default sandbox (Zabbix 7.0) without the proxy in the loop. */
    public Report(Mode mode, boolean viaSnmp, boolean serve, List<RunResult> runs, String standbyAddress, String name) {
        this(mode, viaSnmp, serve, runs, standbyAddress, name, List.of());
    }

    /** The targets of this drill's Zabbix version and mode; vcr's part has one only when vcr was served. */
    public Targets targets() {
        Targets t = Targets.of(zabbix, mode);
        return serve ? t : new Targets(t.zabbix(), t.medianMs(), t.p95Ms(), null);
    }

    /** Action ran vcr → DNS switched of {@code r}, or null when either mark is missing. */
    public static Long vcrPartMillis(RunResult r) {
        Instant from = r.marks().get(Mark.COMMAND_RAN);
        Instant to = r.marks().get(Mark.DNS_SWITCHED);
        return from == null || to == null ? null : java.time.Duration.between(from, to).toMillis();
    }

    /** Median/p95 of vcr's part over the counted runs that have both marks. */
    public Optional<Stats> vcrPartStats() {
        List<Long> v = runs.stream().filter(Report::counted).map(Report::vcrPartMillis).filter(x -> x != null).toList();
        return v.isEmpty() ? Optional.empty() : Optional.of(Stats.of(v));
    }

    /** Whether the KVM host and the standby were monitored by the sandbox's proxy ({@code --via-proxy}). */
    public boolean viaProxy() {
        return !proxy.isEmpty();
    }

    /** The proxy's legs of run {@code r} (empty without the proxy). */
    public Map<String, Long> proxyLegs(RunResult r) {
        return proxy.stream().filter(p -> p.run() == r.run()).findFirst().map(p -> p.legs(r)).orElse(Map.of());
    }

    /** Median/p95 of each proxy leg over the counted runs that have it. */
    public Map<String, Stats> proxyLegStats() {
        Map<String, List<Long>> v = new LinkedHashMap<>();
        for (RunResult r : runs) {
            if (!counted(r)) continue;
            for (Map.Entry<String, Long> e : proxyLegs(r).entrySet()) v.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        v.forEach((k, l) -> out.put(k, Stats.of(l)));
        return out;
    }

    public boolean allRecovered() {
        return !runs.isEmpty() && runs.stream().allMatch(RunResult::recovered);
    }

    /** Whether {@code r} is in the figures: it recovered, with vcr run as asked (served, or a fresh JVM with --no-serve). */
    public static boolean counted(RunResult r) {
        return r.recovered() && r.vcr().asAsked();
    }

    /** The runs that recovered but ran vcr as a fresh JVM although serve was on. */
    public List<RunResult> notServed() {
        return runs.stream().filter(r -> r.recovered() && !r.vcr().asAsked()).toList();
    }

    /** How the drill had vcr run: "served" or "fresh-jvm". */
    public String vcrKey() {
        return serve ? "served" : "fresh-jvm";
    }

    String lastEventId() {
        for (int i = runs.size() - 1; i >= 0; i--) if (runs.get(i).eventId() != null) return runs.get(i).eventId();
        return null;
    }

    /** Median/p95 of each leg over the counted runs that have it. */
    public Map<Mark, Stats> legStats() {
        Map<Mark, Stats> out = new LinkedHashMap<>();
        for (Mark m : Mark.values()) {
            List<Long> v = new ArrayList<>();
            for (RunResult r : runs) if (counted(r) && r.legs().containsKey(m)) v.add(r.legs().get(m));
            if (!v.isEmpty()) out.put(m, Stats.of(v));
        }
        return out;
    }

    /** Median/p95 of failure → client reaches the standby, over the counted runs. */
    public Optional<Stats> totalStats() {
        List<Long> v = runs.stream().filter(Report::counted).map(RunResult::totalMillis).toList();
        return v.isEmpty() ? Optional.empty() : Optional.of(Stats.of(v));
    }

    /** Median/p95 of each mark's offset from the failure (for the chart's median row). */
    public Map<Mark, Stats> markStats() {
        Map<Mark, Stats> out = new LinkedHashMap<>();
        for (Mark m : Mark.values()) {
            List<Long> v = new ArrayList<>();
            for (RunResult r : runs) if (counted(r) && r.marks().containsKey(m)) v.add(r.since(r.marks().get(m)));
            if (!v.isEmpty()) out.put(m, Stats.of(v));
        }
        return out;
    }

    void print(PrintStream out) {
        out.println();
        out.printf("Failover drill, mode %s (%s%s; %s), %d run(s): %s -> %s%n", mode.key(),
                viaSnmp ? "failure reported by SNMP trap" : "failure reported by libvirt event",
                viaProxy() ? ", KVM host and standby monitored by the Zabbix proxy" : "",
                serve ? "vcr recover handed to vcr serve" : "vcr recover as a fresh JVM, --no-serve", runs.size(), name, standbyAddress);
        for (RunResult r : runs) {
            out.printf("%nrun %d, event %s: %s%n", r.run(), r.eventId() == null ? "-" : r.eventId(),
                    (r.recovered() ? "recovered" : "NOT RECOVERED: " + r.failure())
                            + (r.recovered() && !r.vcr().asAsked() ? " (NOT SERVED: fresh-JVM figures, left out of the medians)" : ""));
            out.printf("  %-22s  %s%n", "vcr ran", r.vcr().describe());
            Instant prev = null;
            for (Mark m : Mark.values()) {
                Instant t = r.marks().get(m);
                if (t == null) {
                    out.printf("  %-22s  (not seen)%n", m.label());
                    continue;
                }
                out.printf("  %-22s %+7d ms%s%n", m.label(), r.since(t),
                        prev == null ? "" : String.format("   leg %6d ms", java.time.Duration.between(prev, t).toMillis()));
                prev = t;
            }
            out.printf("  %-22s %s%n", "client reaches standby", r.clientOk() == null ? "(never)" : String.format("%+7d ms", r.totalMillis()));
            for (Map.Entry<String, Long> e : proxyLegs(r).entrySet()) out.printf("    proxy: %-48s %6d ms%n", e.getKey(), e.getValue());
        }
        out.printf("%n%-44s %9s %9s   (over %d recovered run(s), vcr %s)%n", "leg", "median", "p95",
                runs.stream().filter(Report::counted).count(), serve ? "served" : "as a fresh JVM");
        Mark prev = null;
        for (Map.Entry<Mark, Stats> e : legStats().entrySet()) {
            prev = previous(e.getKey());
            out.printf("%-44s %6.0f ms %6d ms%n", (prev == null ? "" : prev.label()) + " -> " + e.getKey().label(),
                    e.getValue().median(), e.getValue().p95());
        }
        if (viaProxy()) out.printf("the proxy's legs (inside the two above: value to problem, problem to action ran vcr):%n");
        for (Map.Entry<String, Stats> e : proxyLegStats().entrySet()) {
            out.printf("  %-50s %6.0f ms %6d ms%n", e.getKey(), e.getValue().median(), e.getValue().p95());
        }
        Targets t = targets();
        vcrPartStats().ifPresent(s -> out.printf("%-44s %6.0f ms %6d ms   %s%s%n", "vcr's part: action ran vcr -> DNS switched",
                s.median(), s.p95(), t.describeVcrPart(mode), verdict(t.vcrPartMet(s))));
        totalStats().ifPresent(s -> out.printf("%-44s %6.0f ms %6d ms   %s%s%n",
                "TOTAL failure -> client reaches standby", s.median(), s.p95(), t.describeTotal(mode), verdict(t.totalMet(s))));
        out.printf("%s%n", allRecovered() ? "Every run recovered; DNS answers the standby." : "Some run did NOT recover.");
        List<RunResult> unserved = notServed();
        if (!unserved.isEmpty()) {
            out.printf("WARNING: %d recovered run(s) (%s) were NOT served although vcr serve was on: bin/vcr ran a fresh JVM;"
                    + " their figures are left out of the medians above.%n", unserved.size(),
                    String.join(", ", unserved.stream().map(r -> "run " + r.run()).toList()));
        }
    }

    private static String verdict(Boolean met) {
        return met == null ? "" : met ? ": met" : ": MISSED";
    }

    private static Mark previous(Mark m) {
        return m.ordinal() == 0 ? null : Mark.values()[m.ordinal() - 1];
    }

    /** The report as JSON: mode, per-run marks (ms since the failure) and legs, per-leg stats, totals, targets. */
    public ObjectNode toJson() {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("mode", mode.key());
        root.put("via_snmp", viaSnmp);
        root.put("via_proxy", viaProxy());
        root.put("name", name);
        root.put("standby_address", standbyAddress);
        root.put("recovered", allRecovered());
        root.put("vcr", vcrKey());
        root.put("serve", serve);
        root.put("runs_counted", runs.stream().filter(Report::counted).count());
        ArrayNode unserved = root.putArray("runs_not_served");
        for (RunResult r : notServed()) unserved.add(r.run());
        root.put("zabbix", zabbix);
        Targets t = targets();
        ObjectNode targets = root.putObject("targets");
        targets.put("zabbix", t.zabbix());
        targets.put("mode", mode.key());
        targets.put("median_ms", t.medianMs());
        targets.put("p95_ms", t.p95Ms());
        targets.put("vcr_part_ms", t.vcrPartMs());
        ArrayNode marks = root.putArray("marks");
        for (Mark m : Mark.values()) marks.addObject().put("key", m.key()).put("label", m.label()).put("source", m.source());
        ArrayNode rs = root.putArray("runs");
        for (RunResult r : runs) {
            ObjectNode o = rs.addObject();
            o.put("run", r.run());
            o.put("event_id", r.eventId());
            o.put("recovered", r.recovered());
            o.put("failure", r.failure());
            o.put("vcr_result", r.vcrResult());
            o.put("vcr", r.vcr().key());
            o.put("served", r.vcr().served());
            o.put("vcr_as_asked", r.vcr().asAsked());
            o.put("counted", counted(r));
            if (r.vcr().serverMillis() == null) o.putNull("serve_run_ms");
            else o.put("serve_run_ms", r.vcr().serverMillis());
            o.put("serve_note", r.vcr().note());
            o.put("dns_answer", r.dnsAnswer());
            o.put("dns_switched_to_standby", r.dnsAnswer().equals(standbyAddress));
            o.put("port_answering", r.portAnswers());
            o.put("acknowledged", r.acknowledged());
            o.put("ordered", r.ordered());
            Instant t0 = r.marks().get(Mark.INJECTED);
            o.put("injected_at", t0 == null ? null : t0.toString());
            ObjectNode at = o.putObject("marks_ms");
            for (Map.Entry<Mark, Instant> e : r.marks().entrySet()) at.put(e.getKey().key(), r.since(e.getValue()));
            ObjectNode legs = o.putObject("legs_ms");
            for (Map.Entry<Mark, Long> e : r.legs().entrySet()) legs.put(e.getKey().key(), e.getValue());
            if (viaProxy()) {
                ObjectNode pl = o.putObject("proxy_legs_ms");
                proxyLegs(r).forEach(pl::put);
            }
            o.put("vcr_part_ms", vcrPartMillis(r));
            if (r.totalMillis() == null) o.putNull("total_ms");
            else o.put("total_ms", r.totalMillis());
        }
        ObjectNode stats = root.putObject("legs");
        for (Map.Entry<Mark, Stats> e : legStats().entrySet()) stats.set(e.getKey().key(), stats(om, e.getValue()));
        if (viaProxy()) {
            ObjectNode ps = root.putObject("proxy_legs");
            proxyLegStats().forEach((k, v) -> ps.set(k, stats(om, v)));
        }
        vcrPartStats().ifPresent(s -> root.set("vcr_part", stats(om, s).put("meets_target", t.vcrPartMet(s))));
        totalStats().ifPresent(s -> root.set("total", stats(om, s).put("meets_targets", t.totalMet(s))));
        return root;
    }

    private static ObjectNode stats(ObjectMapper om, Stats s) {
        return om.createObjectNode().put("n", s.count()).put("median_ms", s.median()).put("p95_ms", s.p95()).put("max_ms", s.max());
    }

    void writeJson(Path file) throws IOException {
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson()) + "\n");
    }
}
