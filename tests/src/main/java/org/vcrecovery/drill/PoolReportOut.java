package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The pool drill's summary on stdout, and with {@code --json} its series as JSON and a PNG chart. */
final class PoolReportOut {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PoolReportOut() {}

    /** What the drill recorded: the seconds, the RRset's changes, the problems' events (Zabbix's clock) and the action's command stamps. */
    record Series(List<PoolScenario.Point> points, List<PoolScenario.Change> changes, Map<String, Double> events, List<double[]> commands) {}

    static int finish(Scenario.Context ctx, Series series, List<String> reports,
                      PoolLoad load, int grows, int shrinks, Map<String, String> byAddress) throws IOException {
        List<PoolScenario.Point> points = series.points();
        List<PoolScenario.Change> changes = series.changes();
        PrintStream out = ctx.out();
        out.println();
        out.println("pool drill: " + PoolScenario.POOL + ", capacity " + PoolScenario.CAPACITY + " req/s per member, grow above 70 %,"
                + " shrink below 35 % of Zabbix's moving average (drill window 10 s, min-interval 30 s)");
        List<JsonNode> runs = new ArrayList<>();
        for (String r : reports) runs.add(JSON.readTree(r));
        out.println("changes (t = seconds since the load started): moving average past the threshold -> problem (Zabbix's event clock)"
                + " -> the agent ran the action's vcr -> clients' resolver saw the new RRset");
        for (PoolScenario.Change c : changes) {
            boolean grow = c.to().size() > c.from().size();
            String kind = grow ? "grow" : "shrink";
            Double crossed = null;
            for (PoolScenario.Point p : points) {
                if (p.t() > c.t()) break;
                boolean over = p.movingAverage() != null && (grow ? p.movingAverage() > 70 : p.movingAverage() < 35);
                if (!over) crossed = null;
                else if (crossed == null) crossed = p.t();
            }
            Double event = null;
            for (var e : series.events().entrySet()) if (e.getKey().startsWith(kind + " ") && e.getValue() <= c.t()) event = e.getValue();
            Double ran = null;
            for (double[] cmd : series.commands()) if ((cmd[1] == 1) == grow && cmd[0] <= c.t()) ran = cmd[0];
            out.printf(Locale.ROOT, "  %-6s %-9s -> %-9s  average %s s, problem %s s, vcr ran %s s, DNS %.1f s%n", kind,
                    PoolScenario.names(c.from(), byAddress), PoolScenario.names(c.to(), byAddress), sec(crossed), sec(event), sec(ran), c.t());
        }
        List<Long> promote = new ArrayList<>();
        for (JsonNode r : runs) {
            if (r.path("exit").asInt() != 0) {
                out.println("  vcr pool " + r.path("action").asText() + ": exit " + r.path("exit").asInt() + ": " + r.path("headline").asText());
                continue;
            }
            long dns = -1;
            StringBuilder legs = new StringBuilder();
            for (JsonNode s : r.path("steps")) {
                legs.append(legs.length() == 0 ? "" : ", ").append(s.path("step").asText()).append(' ').append(s.path("ms").asLong()).append(" ms");
                if (s.path("step").asText().equals("verify")) dns = s.path("at_ms").asLong() + s.path("ms").asLong();
            }
            if (r.path("action").asText().equals("grow") && dns >= 0) promote.add(dns);
            out.println("  vcr pool " + r.path("action").asText() + ": " + r.path("headline").asText() + " (RRset verified " + dns
                    + " ms into the run; " + legs + ")");
        }
        out.printf(Locale.ROOT, "clients: %d requests, %d failed%s (target 0)%n", load.sent(), load.failed(),
                load.failed() == 0 ? "" : ", last: " + load.lastFailure());
        out.println("pool grew " + grows + " time(s), shrank " + shrinks + " time(s)"
                + (promote.isEmpty() ? "" : "; vcr run start -> new member verified in DNS: " + Stats.of(promote).median() + " ms median"));
        boolean ok = grows >= 1 && shrinks >= 1 && load.failed() == 0;
        out.println(ok ? "pool drill: PASSED" : "pool drill: FAILED (needs a grow, a shrink and no failed request)");
        if (ctx.json() != null) {
            ObjectNode root = JSON.createObjectNode();
            root.put("scenario", "pool").put("pool", PoolScenario.POOL).put("capacity_rps", PoolScenario.CAPACITY)
                    .put("upper_pct", 70).put("lower_pct", 35).put("window_s", 10).put("min_interval_s", 30)
                    .put("requests", load.sent()).put("failed", load.failed()).put("grows", grows).put("shrinks", shrinks).put("passed", ok);
            ArrayNode ps = root.putArray("points");
            for (PoolScenario.Point p : points) {
                ObjectNode o = ps.addObject().put("t", round(p.t())).put("rate_rps", round(p.rate())).put("sample_mean_pct", round(p.sampleMean()))
                        .put("active", p.actives()).put("problems", p.problems());
                if (p.movingAverage() != null) o.put("moving_average_pct", round(p.movingAverage()));
            }
            ArrayNode cs = root.putArray("changes");
            for (PoolScenario.Change c : changes) {
                cs.addObject().put("t", round(c.t())).putPOJO("from", PoolScenario.names(c.from(), byAddress)).putPOJO("to", PoolScenario.names(c.to(), byAddress));
            }
            ArrayNode ev = root.putArray("problems");
            series.events().forEach((k, t) -> ev.addObject().put("problem", k.split(" ")[0]).put("eventid", k.split(" ")[1]).put("t", round(t)));
            ArrayNode cm = root.putArray("action_commands");
            for (double[] c : series.commands()) cm.addObject().put("t", round(c[0])).put("action", c[1] == 1 ? "grow" : "shrink");
            ArrayNode rs = root.putArray("vcr_runs");
            runs.forEach(rs::add);
            JSON.writeValue(ctx.json().toFile(), root);
            Path png = Chart.pngNextTo(ctx.json());
            PoolChart.write(points, changes, png);
            ctx.progress().say("wrote " + ctx.json() + " and " + png);
        }
        return ok ? 0 : 1;
    }

    private static String sec(Double t) {
        return t == null ? "-" : String.format(Locale.ROOT, "%.1f", t);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
