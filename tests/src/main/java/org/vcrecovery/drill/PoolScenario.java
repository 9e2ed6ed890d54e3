package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * {@code tests/drill --scenario pool}: the hot-standby pool driven by Zabbix. Four LXC members
 * (busybox httpd) of the pool {@value #POOL}, one active (in the RRset), one standby, two idle;
 * the Zabbix host {@value #POOL} with the template "vcrecovery pool" and, for a drill of about two
 * and a half minutes instead of the production defaults, a 10 s window, a 1 s calculation interval
 * and a 30 s minimum interval (Zabbix's nodata minimum) as host macros, and 25 s in the runbook.
 * Clients ({@link PoolLoad}) send a load ramp through the RRset; every second the drill sends the
 * members' loads (requests answered per second / capacity) to {@code vcr.pool.samples}, as a
 * member's own monitoring would. Zabbix's moving average crosses 70 %: the grow problem, the
 * action, {@code vcr pool grow --pending} on the sandbox agent, DNS; the load falls: shrink.
 * Prints each change with its legs; {@code --json} also writes the series and a PNG chart
 * ({@link PoolChart}). Exit 0 when the pool grew and shrank and no client request failed.
 */
final class PoolScenario implements Scenario {
    static final String POOL = "vcr-pool-drill";
    static final int CAPACITY = 20; // requests per second one member serves at 100 %
    static final int PORT = 8080;
    static final double SECONDS = 170;

    /** One second of the drill. */
    record Point(double t, double rate, double sampleMean, Double movingAverage, int actives, String problems) {}

    /** A change of the RRset, as the clients' resolver saw it. */
    record Change(double t, List<String> from, List<String> to) {}

    static double rate(double t) {
        if (t < 15) return 8;
        if (t < 45) return 8 + (t - 15) * (36 - 8) / 30.0;
        if (t < 80) return 36;
        return 5;
    }

    @Override
    public int run(Context ctx) throws Exception {
        Env env = ctx.env();
        Progress p = ctx.progress();
        Path dir = ctx.dir().resolve("pool");
        Files.createDirectories(dir.resolve("runbooks"));
        Path state = dir.resolve("state");
        // A drill starts from nothing: no audit lines, action stamps or last-change time of an earlier one (its min-interval would hold the first grow).
        Files.deleteIfExists(state.resolve("audit.jsonl"));
        Files.deleteIfExists(state.resolve("pool").resolve(POOL + ".changed"));
        Files.deleteIfExists(dir.resolve("commands.log"));
        Files.createDirectories(state);
        String net = "127.66." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        List<String> members = List.of("m1", "m2", "m3", "m4");
        Map<String, String> address = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) address.put(members.get(i), net + (i + 1));
        String zone = env.get("DNS_ZONE");
        String fqdn = POOL + "." + zone + ".";
        Path lxc = ctx.repo().resolve("tests/env/lxc-service");

        p.say("pool " + POOL + ": members " + address + " (LXC, busybox httpd on port " + PORT + "), capacity " + CAPACITY + " req/s each");
        for (String m : members) Sh.must(120, lxc.toString(), "vcr-pool-" + m, address.get(m), Integer.toString(PORT), "http");
        for (String m : members) Sh.run(30, "lxc-stop", "-P", env.get("LXC_PATH"), "-n", "vcr-pool-" + m, "-k");
        for (String m : List.of("m1", "m2")) Sh.must(60, lxc.toString(), "--start", "vcr-pool-" + m, address.get(m), Integer.toString(PORT), "http");
        PoolSetup setup = new PoolSetup(env, ctx.launchers(), ctx.repo(), dir, state, p);
        setup.runbook(members, address, fqdn);
        setup.rrset(fqdn, List.of(address.get("m1")));
        Path wrapper = setup.wrapper(ctx.serve());
        ServeProcess serve = ctx.serve() ? ServeProcess.start(dir, ctx.launchers().vcr(), p) : null;
        try (ZabbixApi api = ZabbixApi.builder(java.net.URI.create(env.get("ZABBIX_API_URL")))
                .tokenFile(env.path("ZABBIX_TOKEN_FILE")).requestTimeout(Duration.ofSeconds(20)).build()) {
            setup.install(wrapper);
            String hostId = setup.host(api, POOL);
            try {
                return drive(ctx, api, hostId, fqdn, address, dir, state);
            } finally {
                setup.deleteHost(api, hostId);
                for (String m : members) Sh.run(30, "lxc-stop", "-P", env.get("LXC_PATH"), "-n", "vcr-pool-" + m, "-k");
            }
        } finally {
            if (serve != null) serve.stop(p);
        }
    }

    private int drive(Context ctx, ZabbixApi api, String hostId, String fqdn, Map<String, String> address, Path dir, Path state)
            throws Exception {
        Env env = ctx.env();
        Progress p = ctx.progress();
        DnsUpdater dns = DnsUpdater.builder().server(env.address("DNS_SERVER")).timeout(Duration.ofSeconds(1)).build();
        AtomicReference<List<String>> rrset = new AtomicReference<>(List.copyOf(dns.query(fqdn, RecordType.A)));
        List<Change> changes = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        Map<String, String> byAddress = new LinkedHashMap<>();
        address.forEach((m, a) -> byAddress.put(a, m));
        InetSocketAddress trapper = env.address("ZABBIX_TRAPPER");
        ZabbixSender sender = ZabbixSender.builder().server(InetSocketAddress.createUnresolved(trapper.getHostString(), trapper.getPort())).build();
        p.say("load ramp: 8 req/s for 15 s, up to 36 req/s at 45 s, held to 80 s, then 5 req/s; one sample a second to vcr.pool.samples");
        Map<String, Double> events = new LinkedHashMap<>(); // "grow 1234" -> Zabbix's clock of the event, in drill seconds
        try (PoolLoad load = new PoolLoad(PoolScenario::rate, SECONDS, PORT, rrset)) {
            long startMs = System.currentTimeMillis();
            Thread resolver = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        List<String> now = List.copyOf(dns.query(fqdn, RecordType.A));
                        if (!new java.util.HashSet<>(now).equals(new java.util.HashSet<>(rrset.get()))) {
                            synchronized (changes) {
                                changes.add(new Change(-1 - load.elapsed(), rrset.get(), now)); // negative: not printed yet
                            }
                            rrset.set(now);
                        }
                    } catch (IOException e) {
                        // the next look tells
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "pool-resolver");
            resolver.setDaemon(true);

            resolver.start();
            load.start();
            int grows = 0;
            int shrinks = 0;
            double lastTick = 0;
            while (!load.done()) {
                ListenerProcess.sleep(1000);
                double t = load.elapsed();
                Map<String, Integer> counts = load.drain();
                double span = Math.max(0.5, t - lastTick);
                lastTick = t;
                StringBuilder json = new StringBuilder("{");
                double sum = 0;
                for (var e : counts.entrySet()) {
                    double pct = e.getValue() / span / CAPACITY * 100;
                    sum += pct;
                    if (json.length() > 1) json.append(',');
                    json.append('"').append(byAddress.getOrDefault(e.getKey(), e.getKey())).append("\":").append(String.format(Locale.ROOT, "%.1f", pct));
                }
                json.append('}');
                if (!counts.isEmpty()) sender.send(List.of(new SenderValue(POOL, "vcr.pool.samples", json.toString())));
                synchronized (changes) {
                    for (int i = 0; i < changes.size(); i++) {
                        Change c = changes.get(i);
                        if (c.t() >= 0) continue;
                        c = new Change(-1 - c.t(), c.from(), c.to());
                        changes.set(i, c);
                        if (c.to().size() > c.from().size()) grows++;
                        else shrinks++;
                        p.say(String.format(Locale.ROOT, "%6.1f s  DNS: %s -> %s", c.t(), names(c.from(), byAddress), names(c.to(), byAddress)));
                    }
                }
                JsonNode avg = api.call("item.get", Map.of("output", List.of("lastvalue", "lastclock"), "hostids", List.of(hostId),
                        "filter", Map.of("key_", List.of("vcr.pool.load.avg")))).path(0);
                Double movingAverage = avg.path("lastclock").asLong() > 0 ? avg.path("lastvalue").asDouble() : null;
                JsonNode open = api.call("problem.get", Map.of("output", List.of("eventid", "name", "clock", "ns"), "hostids", List.of(hostId)));
                List<String> problems = new ArrayList<>();
                for (JsonNode o : open) {
                    String kind = o.path("name").asText().contains("grow") ? "grow" : "shrink";
                    problems.add(kind);
                    events.putIfAbsent(kind + " " + o.path("eventid").asText(),
                            (o.path("clock").asLong() * 1000 + o.path("ns").asLong() / 1_000_000 - startMs) / 1000.0);
                }
                int actives = rrset.get().size();
                points.add(new Point(t, load.rateNow(), counts.isEmpty() ? 0 : sum / counts.size(), movingAverage, actives, String.join(",", problems)));
                if ((int) t % 10 == 0) {
                    p.say(String.format(Locale.ROOT, "%6.1f s  %4.1f req/s, %d active, sample mean %5.1f %%, Zabbix moving average %s%s",
                            t, load.rateNow(), actives, counts.isEmpty() ? 0 : sum / counts.size(),
                            movingAverage == null ? "-" : String.format(Locale.ROOT, "%.1f %%", movingAverage),
                            problems.isEmpty() ? "" : ", problem: " + problems));
                }
                if (grows >= 2 && shrinks >= 1 && t > 110 && rrset.get().size() == 1) break;
            }
            resolver.interrupt();
            List<String> reports = PoolSetup.reports(state);
            List<double[]> commands = PoolSetup.commands(dir, startMs);
            return PoolReportOut.finish(ctx, new PoolReportOut.Series(points, changes, events, commands), reports, load, grows, shrinks, byAddress);
        }
    }

    static String names(List<String> addresses, Map<String, String> byAddress) {
        List<String> out = new ArrayList<>();
        for (String a : addresses) out.add(byAddress.getOrDefault(a, a));
        return out.isEmpty() ? "(none)" : String.join(",", out);
    }
}
