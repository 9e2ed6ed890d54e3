package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tests/drill --scenario rebalance}: a recovery VM gets loaded (busy loops inside the
 * service's container), Zabbix's moving average crosses the threshold, the CPU-high trigger fires,
 * the action runs {@code vcr rebalance --pending} on that VM's agent, which moves the service
 * make-before-break to the other recovery VM (start, check, DNS compare-and-swap, TTL, old stopped:
 * the load goes with the old container), and the problem resolves once the average falls below
 * the low threshold. A client following DNS requests the page every 10 ms throughout; every failed
 * request is reported (target 0), as is the move (new container started to DNS switched and
 * verified; target ≤ 1 s). With {@code --runs N} the service goes back and forth.
 * Exit 0 only when every run moved and no request failed.
 */
final class RebalanceScenario implements Scenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public int run(Context ctx) throws Exception {
        Progress p = ctx.progress();
        try (RebalanceScene scene = new RebalanceScene(ctx.env(), ctx.dir())) {
            scene.setUp(ctx.repo(), ctx.launchers().vcr(), ctx.launchers().templates(), p, 0);
            List<Map<String, Long>> runs = new ArrayList<>();
            List<Long> moves = new ArrayList<>();
            List<Long> totals = new ArrayList<>();
            int failed = 0;
            boolean allMoved = true;
            ArrayNode jsonRuns = JSON.createArrayNode();
            for (int run = 0; run < Math.max(1, ctx.runs()); run++) {
                int from = run % 2;
                ObjectNode j = jsonRuns.addObject();
                Map<String, Long> marks = once(scene, from, p, ctx, j);
                runs.add(marks);
                failed += j.path("failed_requests").asInt();
                if (!j.path("moved").asBoolean()) allMoved = false;
                if (j.has("move_ms")) moves.add(j.path("move_ms").asLong());
                if (marks.containsKey("client on the new one")) totals.add(marks.get("client on the new one"));
            }
            ctx.out().println();
            ctx.out().println("Rebalance drill: " + runs.size() + " run(s), " + (allMoved ? "every run moved" : "NOT every run moved")
                    + ", " + failed + " failed client request(s) (target 0)");
            if (!moves.isEmpty()) {
                Stats m = Stats.of(moves);
                ctx.out().println("  move (new container started -> DNS switched, verified): median " + (long) m.median() + " ms, max "
                        + m.max() + " ms (target <= 1000 ms; paper: 17-21 s per LXD move, 5.4-9 s down)");
            }
            if (!totals.isEmpty()) {
                Stats t = Stats.of(totals);
                ctx.out().println("  load start -> client served by the new VM: median " + (long) t.median() + " ms");
            }
            if (ctx.json() != null) {
                ObjectNode root = JSON.createObjectNode().put("scenario", "rebalance").put("failed_requests", failed).put("all_moved", allMoved);
                root.set("runs", jsonRuns);
                Files.writeString(ctx.json(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
                p.say("wrote " + ctx.json());
            }
            return allMoved && failed == 0 ? 0 : 1;
        }
    }

    /** One run: load VM {@code from}, wait for Zabbix, the action and the move; the timeline's marks in ms since the load began. */
    private Map<String, Long> once(RebalanceScene scene, int from, Progress p, Context ctx, ObjectNode j) throws Exception {
        int to = 1 - from;
        scene.place(from);
        p.say("run: the service on " + RebalanceScene.VMS[from] + "; waiting for both VMs' CPU averages and no open problem");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (scene.lastValue(0, "vcr.cpu.avg") == null || scene.lastValue(1, "vcr.cpu.avg") == null
                || scene.openProblem(0) != null || scene.openProblem(1) != null) {
            if (System.nanoTime() > deadline) throw new DrillException(1, "no CPU average in Zabbix, or a CPU-high problem still open, after 120 s");
            Rig.sleep(500);
        }
        Path commands = scene.dir.resolve("commands.log");
        long commandsBefore = Files.exists(commands) ? Files.readAllLines(commands).size() : 0;
        Path audit = scene.dir.resolve("state/audit.jsonl");
        long auditBefore = Files.exists(audit) ? Files.readAllLines(audit).size() : 0;
        Map<String, Long> marks = new LinkedHashMap<>();
        FollowingClient client = new FollowingClient(scene.dns, scene.record, RebalanceScene.PORT, Duration.ofSeconds(RebalanceScene.TTL),
                Duration.ofMillis(10));
        JsonNode report = null;
        long t0 = 0;
        try {
            Rig.sleep(300);
            t0 = nanos(Instant.now());
            scene.load(from);
            p.say("loading " + RebalanceScene.VMS[from] + " (" + RebalanceScene.BURNERS + " busy loops in " + RebalanceScene.CONTAINERS[from]
                    + "; its threshold: average above " + RebalanceScene.HIGH + " %, resolved below " + RebalanceScene.LOW + " %)");
            long[] problem = null;
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (report == null && System.nanoTime() < deadline) {
                if (problem == null && (problem = scene.openProblem(from)) != null) {
                    p.say("problem in Zabbix: event " + problem[0] + " (CPU average above " + RebalanceScene.HIGH + " %)");
                    marks.put("problem in Zabbix", (problem[1] - t0) / 1_000_000);
                }
                report = moveReport(audit, auditBefore);
                Rig.sleep(100);
            }
            if (report == null) p.say("no move within 90 s after the load began");
            Rig.sleep((RebalanceScene.TTL + 1) * 1000L);
        } finally {
            client.close();
            scene.unload(from);
        }
        j.put("from", RebalanceScene.VMS[from]).put("to", RebalanceScene.VMS[to]);
        j.put("requests", client.requests.get()).put("failed_requests", client.failures.size());
        j.set("failures", JSON.valueToTree(client.failures));
        for (String f : client.failures) p.say("FAILED request: " + f);
        List<double[]> avg = scene.history(from, "vcr.cpu.avg", t0 / 1_000_000_000L - 1);
        for (double[] v : avg) {
            if (v[1] > RebalanceScene.HIGH) {
                marks.put("average above " + RebalanceScene.HIGH + " %", ((long) v[0] - t0) / 1_000_000);
                break;
            }
        }
        List<String> lines = Files.exists(commands) ? Files.readAllLines(commands) : List.of();
        for (String l : lines.subList((int) Math.min(commandsBefore, lines.size()), lines.size())) {
            if (l.contains("rebalance --pending") && !l.contains("--plan")) {
                marks.put("action ran vcr", (long) ((Double.parseDouble(l.split(" ")[0]) * 1e9 - t0) / 1_000_000));
                break;
            }
        }
        boolean moved = report != null && report.path("exit_code").asInt() == 0;
        j.put("moved", moved);
        if (report != null) {
            marks.put("vcr rebalance started", (nanos(Instant.parse(report.path("started").asText())) - t0) / 1_000_000);
            for (JsonNode s : report.path("steps")) {
                String name = switch (s.path("name").asText()) {
                    case "start" -> "new container up";
                    case "check" -> "new one checked";
                    case "dns" -> "DNS switched";
                    case "drain" -> "TTL waited";
                    case "stop-old" -> "old container stopped";
                    default -> null;
                };
                if (name != null) marks.put(name, (nanos(Instant.parse(s.path("started").asText())) + s.path("millis").asLong() * 1_000_000 - t0) / 1_000_000);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("; move (\\d+) ms").matcher(report.path("headline").asText());
            if (m.find()) j.put("move_ms", Long.parseLong(m.group(1)));
            j.put("headline", report.path("headline").asText());
        }
        for (FollowingClient.Switch s : client.switches) {
            if (s.address().equals(RebalanceScene.ADDRESSES[to])) marks.put("client on the new one", (s.epochNanos() - t0) / 1_000_000);
        }
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (moved && scene.openProblem(from) != null && System.nanoTime() < deadline) Rig.sleep(250);
        if (moved && scene.openProblem(from) == null) marks.put("problem resolved (average below " + RebalanceScene.LOW + " %)", (nanos(Instant.now()) - t0) / 1_000_000);
        marks.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> ctx.out().printf("  %8d ms  %s%n", e.getValue(), e.getKey()));
        ctx.out().println("  " + (report == null ? "no move" : report.path("service").asText() + ": " + report.path("headline").asText())
                + "; client: " + client.requests.get() + " requests, " + client.failures.size() + " failed");
        j.set("marks_ms", JSON.valueToTree(marks));
        return marks;
    }

    /** The audit line of the first move after {@code skip} lines, or null. */
    private static JsonNode moveReport(Path audit, long skip) throws Exception {
        if (!Files.exists(audit)) return null;
        List<String> lines = Files.readAllLines(audit);
        for (String l : lines.subList((int) Math.min(skip, lines.size()), lines.size())) {
            JsonNode n = JSON.readTree(l);
            if (RebalanceScene.SERVICE.equals(n.path("service").asText())) return n;
        }
        return null;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
