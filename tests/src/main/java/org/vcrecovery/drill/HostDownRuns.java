package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host-down drill's results: per run, the moments of the host (killed, problem, command) and
 * of each VM (DNS switched, answering on its standby), and the legs and summaries computed from
 * them. Targets (issue 15, Zabbix 7.0): all N answering ≤ 10 s median over the runs, vcr's part
 * (command started → last DNS switched) ≤ 2 s, detection ≤ 5 s.
 */
record HostDownRuns(int vms, List<Run> runs, Hostile hostile, long buildMillis, String zabbix, boolean served) {
    static final long TARGET_ALL_MS = 10_000, TARGET_VCR_MS = 2_000, TARGET_DETECT_MS = 5_000;

    /** Whether one missing value left the trigger quiet: the heartbeat alone, and both signals for 1.5 s. */
    record Hostile(boolean heartbeatOnly, boolean both) {
        boolean held() {
            return heartbeatOnly && both;
        }
    }

    record Run(int n, Instant t0, Instant killed, Instant problem, Instant command, String eventId, String headline,
               Map<Integer, Instant> dns, Map<Integer, Instant> answered, long resetMillis, String ack) {
        Long detection() {
            return problem == null ? null : ms(t0, problem);
        }

        Long action() {
            return problem == null || command == null ? null : ms(problem, command);
        }

        /** First command started → last DNS switched. */
        Long vcrPart() {
            return command == null || dns.isEmpty() ? null : ms(command, dns.values().stream().max(Instant::compareTo).orElseThrow());
        }

        /** Host killed → the last VM answering on its standby by name (null unless all did). */
        Long all(int vms) {
            return answered.size() < vms ? null : ms(t0, answered.values().stream().max(Instant::compareTo).orElseThrow());
        }

        List<Long> leg(String name) {
            List<Long> out = new ArrayList<>();
            for (Map.Entry<Integer, Instant> e : new TreeMap<>(answered).entrySet()) {
                Instant d = dns.get(e.getKey());
                switch (name) {
                    case "vcr" -> { if (d != null && command != null) out.add(ms(command, d)); }
                    case "client" -> { if (d != null) out.add(ms(d, e.getValue())); }
                    default -> out.add(ms(t0, e.getValue()));
                }
            }
            return out;
        }
    }

    static long ms(Instant a, Instant b) {
        return Duration.between(a, b).toMillis();
    }

    boolean ok() {
        return hostile.held() && runs.stream().allMatch(r -> r.all(vms) != null);
    }

    private static List<Long> collect(List<Run> runs, java.util.function.Function<Run, Long> f) {
        List<Long> out = new ArrayList<>();
        for (Run r : runs) if (f.apply(r) != null) out.add(f.apply(r));
        return out;
    }

    private static String stats(List<Long> v) {
        if (v.isEmpty()) return "n/a";
        Stats s = Stats.of(v);
        return String.format("median %6.0f  p95 %6d  max %6d ms (n=%d)", s.median(), s.p95(), s.max(), s.count());
    }

    void print(PrintStream out) {
        out.printf("%nHost-down drill: %d VMs on KVM host %s, Zabbix %s, vcr %s%n", vms, HostDownScene.KVM_HOST, zabbix,
                served ? "served by vcr serve" : "as a fresh JVM");
        out.printf("hostile check (one missing value must not fire): heartbeat dropped -> %s; port and heartbeat both missing 1.5 s -> %s%n",
                hostile.heartbeatOnly() ? "no problem (ok)" : "PROBLEM (bad)", hostile.both() ? "no problem (ok)" : "PROBLEM (bad)");
        for (Run r : runs) {
            out.printf("run %d: detection %s ms, action %s ms, vcr's part %s ms, all %d answering %s ms (%d/%d answered, %d DNS switches seen; reset %d ms); %s%n",
                    r.n(), r.detection(), r.action(), r.vcrPart(), vms, r.all(vms), r.answered().size(), vms, r.dns().size(), r.resetMillis(),
                    r.headline() == null ? "no host line in the audit" : r.headline());
        }
        List<Run> rs = runs;
        out.println("per-VM legs over all runs:");
        out.println("  detection  (host killed -> Zabbix problem)      " + stats(collect(rs, Run::detection)));
        out.println("  action     (problem -> vcr command started)     " + stats(collect(rs, Run::action)));
        List<Long> vcr = new ArrayList<>(), client = new ArrayList<>(), total = new ArrayList<>();
        for (Run r : rs) {
            vcr.addAll(r.leg("vcr"));
            client.addAll(r.leg("client"));
            total.addAll(r.leg("total"));
        }
        out.println("  vcr        (command started -> this VM's DNS)   " + stats(vcr));
        out.println("  client     (DNS switched -> name answers)       " + stats(client));
        out.println("  total      (host killed -> this VM answers)     " + stats(total));
        List<Long> all = collect(rs, r -> r.all(vms)), part = collect(rs, Run::vcrPart), det = collect(rs, Run::detection);
        out.printf("host failure -> all %d answering: %s; target median <= %d ms: %s%n", vms, stats(all), TARGET_ALL_MS,
                verdict(all, TARGET_ALL_MS));
        out.printf("vcr's part (first command -> last DNS switched): %s; target <= %d ms: %s%n", stats(part), TARGET_VCR_MS,
                verdict(part, TARGET_VCR_MS));
        out.printf("detection: %s; target <= %d ms: %s%n", stats(det), TARGET_DETECT_MS, verdict(det, TARGET_DETECT_MS));
        out.printf("scene build (create or reuse %d domains and containers): %d ms%n", vms * 2, buildMillis);
    }

    private static String verdict(List<Long> v, long target) {
        if (v.isEmpty()) return "NOT MEASURED";
        return Stats.of(v).median() <= target ? "met" : "MISSED";
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", "host-down");
        root.put("vms", vms);
        root.put("zabbix", zabbix);
        root.put("served", served);
        root.put("hostile", Map.of("heartbeat_dropped_no_problem", hostile.heartbeatOnly(), "both_missing_1500ms_no_problem", hostile.both()));
        root.put("build_millis", buildMillis);
        List<Object> rs = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.n());
            m.put("event_id", r.eventId());
            m.put("killed", r.t0().toString());
            m.put("detection_ms", r.detection());
            m.put("action_ms", r.action());
            m.put("vcr_part_ms", r.vcrPart());
            m.put("all_answering_ms", r.all(vms));
            m.put("headline", r.headline());
            m.put("ack", r.ack());
            List<Object> per = new ArrayList<>();
            for (int i = 1; i <= vms; i++) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("vm", i);
                v.put("dns_ms", r.dns().containsKey(i) ? ms(r.t0(), r.dns().get(i)) : null);
                v.put("answered_ms", r.answered().containsKey(i) ? ms(r.t0(), r.answered().get(i)) : null);
                per.add(v);
            }
            m.put("per_vm", per);
            rs.add(m);
        }
        root.put("runs", rs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }
}
