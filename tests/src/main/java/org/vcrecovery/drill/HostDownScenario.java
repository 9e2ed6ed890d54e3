package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code tests/drill --scenario host-down --vms N}: a KVM host with N VMs dies ({@link HostDownScene},
 * {@link HostSignals}); the KVM template's fast host-down trigger fires, the host-down action runs
 * {@code vcr recover --pending} on the standby host's agent, which recovers every VM of the host
 * ({@code vcr recover --host-down}); clients poll every VM's name until it answers on its standby.
 * Before the first run it checks the trigger cannot be faked by one missing value (the listener
 * frozen for 1.5 s; then the port closed and the listener frozen together for 1.5 s: no problem
 * may open). Per run: detection (host killed → problem), action (→ command started), vcr's part
 * per VM (→ its DNS switched), client (→ its name answers on the standby), total; the summary
 * gives median, p95 and max per leg over the VMs, and per run the time until all N answer and
 * vcr's part (command started → last DNS switched). Exit 0 when every VM of every run answered on
 * its standby by name and the hostile check held.
 */
final class HostDownScenario implements Scenario {
    /** {@code host-down-held}: the approval drill ({@link HostDownHeld}) instead of the measured runs. */
    private final boolean held;

    HostDownScenario(boolean held) {
        this.held = held;
    }

    static final Duration DEADLINE = Duration.ofSeconds(60);
    /**
     * vcr.yaml's host-down limits for the drill (every standby runs on this one machine), or
     * {@code $VCR_DRILL_HOST_DOWN} (a YAML flow map such as {@code {parallel: 50, per-standby-host: 50}})
     * to compare settings.
     */
    static String limits() {
        String env = System.getenv("VCR_DRILL_HOST_DOWN");
        if (env != null && !env.isBlank()) return "host-down: " + env.strip() + "\n";
        return "host-down:\n  parallel: 50\n  per-standby-host: 50\n  per-zone: 50\n  per-backend: 50\n";
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public int run(Context ctx) throws Exception {
        Progress progress = ctx.progress();
        Env env = ctx.env();
        Stage stage = new Stage(Mode.WARM, 1, false, ctx.serve(), false, env, ctx.repo(), ctx.launchers(), ctx.dir(), progress);
        stage.prepare();
        Path vcrYaml = ctx.dir().resolve("vcr.yaml");
        Drill.write(vcrYaml, Files.readString(vcrYaml) + limits(), "rw-r--r--");
        progress.say("vcr.yaml " + limits().strip().replace("\n", " "));
        try (HostDownScene scene = new HostDownScene(ctx.vms(), env, ctx.repo());
             HostSignals host = new HostSignals(ctx.dir(), ctx.launchers(), env, HostDownScene.KVM_HOST);
             ZabbixSide z = new ZabbixSide(URI.create(env.get("ZABBIX_API_URL")), env.path("ZABBIX_TOKEN_FILE"), HostDownScene.KVM_HOST)) {
            long built = scene.build();
            progress.say("scene: " + ctx.vms() + " VMs on KVM host " + HostDownScene.KVM_HOST + " (containers and domains ready in "
                    + built + " ms; existing ones are reused)");
            writeRunbooks(ctx.dir().resolve("runbooks"), scene);
            z.ensureKvmHost(env.get("ZABBIX_HOSTGROUP"), HostSignals.ADDRESS, 10050, Map.of(
                    "{$VCR.HOST.CHECK.PORT}", Integer.toString(HostSignals.PORT),
                    "{$VCR.VM.NAME.MATCHES}", "^hd-[A-Za-z0-9_.-]+$"));
            // Each VM's own Zabbix host (plain: only its maintenance is asked), as in a real fleet.
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= scene.vms(); i++) names.add(scene.name(i));
            Map<String, String> vmHosts = z.ensureHosts(env.get("ZABBIX_HOSTGROUP"), names);
            Sh.run(30, env.get("ZABBIX_SERVER_BIN"), "-c", env.get("ZABBIX_SERVER_CONF"), "-R", "config_cache_reload");
            host.up(progress);
            int code = held ? new HostDownHeld(ctx, scene, host, z, vmHosts).run() : measured(ctx, scene, host, z, built);
            // Gone again, and its Zabbix hosts deleted: a later failure of a leftover listener must not
            // start a 50-VM recovery in someone else's test. Containers stay (stopped) for the next
            // drill; the domains go (defining one again takes milliseconds).
            host.kill();
            scene.stopAll();
            scene.undefineAll();
            List<String> ids = new ArrayList<>(vmHosts.values());
            ids.add(z.kvmHostId());
            z.call("host.delete", ids);
            progress.say("KVM host " + HostDownScene.KVM_HOST + " and its VMs' hosts deleted from Zabbix, its listener and containers"
                    + " stopped, its domains undefined");
            return code;
        } finally {
            stage.finish();
        }
    }

    /** The hostile check, then {@code --runs} measured runs; prints and writes their figures. */
    private int measured(Context ctx, HostDownScene scene, HostSignals host, ZabbixSide z, long built) throws Exception {
        HostDownRuns.Hostile hostile = hostileCheck(z, host, ctx.progress());
        List<HostDownRuns.Run> runs = new ArrayList<>();
        for (int r = 1; r <= ctx.runs(); r++) runs.add(run(r, ctx, scene, host, z, ctx.progress()));
        HostDownRuns result = new HostDownRuns(ctx.vms(), runs, hostile, built, ctx.env().get("ZABBIX_VERSION"), ctx.serve());
        result.print(ctx.out());
        if (ctx.json() != null) {
            result.writeJson(ctx.json());
            Path png = Chart.pngNextTo(ctx.json());
            HostDownChart.write(result, png);
            ctx.progress().say("wrote " + ctx.json() + " and " + png);
        }
        return result.ok() ? 0 : 1;
    }

    private static void writeRunbooks(Path dir, HostDownScene scene) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().matches("hd-\\d+\\.yaml")).toList()) Files.delete(p);
        }
        for (int i = 1; i <= scene.vms(); i++) Drill.write(dir.resolve(scene.name(i) + ".yaml"), scene.runbook(i), "rw-r--r--");
    }

    /** Open host-down problems of the KVM host: event id and clock. */
    static List<ZabbixSide.Problem> problems(ZabbixSide z) {
        JsonNode ps = z.call("problem.get", Map.of("output", List.of("eventid", "clock", "ns", "name"),
                "hostids", List.of(z.kvmHostId()), "tags", List.of(Map.of("tag", "vcrecovery", "value", "host-down", "operator", "1")),
                "recent", false));
        List<ZabbixSide.Problem> out = new ArrayList<>();
        for (JsonNode p : ps) out.add(new ZabbixSide.Problem(p.path("eventid").asText(), ZabbixSide.instant(p), p.path("name").asText()));
        return out;
    }

    /**
     * Waits until Zabbix sees the host up and its fast trigger armed: no open host-down problem, the
     * port check 1, and the listener started at {@code since} heard: a heartbeat in the last 3 s and
     * at least 5 of its heartbeats in the last 12 s. (The trigger fires only for a host with 3
     * heartbeats in {$VCR.HOST.DOWN.ARMED}, 12 s: a kill within ~3 s of the listener's restart is
     * left to the slow ICMP trigger, which is not what the drill measures.)
     */
    static void armed(ZabbixSide z, Progress progress, Instant since) {
        Instant deadline = Instant.now().plusSeconds(90);
        Instant note = Instant.now().plusSeconds(5);
        while (true) {
            JsonNode items = z.call("item.get", Map.of("output", List.of("itemid", "key_", "lastvalue", "lastclock", "value_type"),
                    "hostids", List.of(z.kvmHostId()),
                    "filter", Map.of("key_", List.of("net.tcp.service[tcp,,{$VCR.HOST.CHECK.PORT}]", "vcr.listener.heartbeat"))));
            boolean port = false, beat = false;
            for (JsonNode i : items) {
                if (i.path("key_").asText().startsWith("net.tcp")) {
                    port = i.path("lastvalue").asText().equals("1");
                } else if (Instant.ofEpochSecond(i.path("lastclock").asLong()).isAfter(Instant.now().minusSeconds(3))) {
                    beat = z.call("history.get", Map.of("itemids", List.of(i.path("itemid").asText()), "history", i.path("value_type").asInt(),
                            "time_from", Math.max(Instant.now().minusSeconds(12).getEpochSecond(), since.getEpochSecond() + 1),
                            "output", List.of("clock"))).size() >= 5;
                }
            }
            List<ZabbixSide.Problem> open = problems(z);
            if (port && beat && open.isEmpty()) return;
            if (Instant.now().isAfter(deadline)) {
                throw new DrillException(1, "Zabbix never saw KVM host " + HostDownScene.KVM_HOST + " up within 90 s (port check "
                        + port + ", heartbeats arming the trigger " + beat + ", open host-down problems " + open.size() + ")");
            }
            if (Instant.now().isAfter(note)) {
                progress.say("waiting for Zabbix to see " + HostDownScene.KVM_HOST + " up (port " + port + ", armed by heartbeats " + beat
                        + ", " + open.size() + " open problem(s))");
                note = note.plusSeconds(5);
            }
            ListenerProcess.sleep(250);
        }
    }

    /** One missing value must not fire the trigger: the heartbeat alone, then one of each at once. */
    private static HostDownRuns.Hostile hostileCheck(ZabbixSide z, HostSignals host, Progress progress) throws Exception {
        armed(z, progress, Instant.EPOCH);
        progress.say("hostile check 1: the listener frozen 1.5 s (a heartbeat or two missing), port open");
        host.pauseListener(1500);
        ListenerProcess.sleep(6000);
        boolean heartbeatOnly = problems(z).isEmpty();
        armed(z, progress, Instant.EPOCH);
        progress.say("hostile check 2: the port closed and the listener frozen together for 1.5 s");
        host.closePort();
        host.pauseListener(1500);
        host.openPort();
        ListenerProcess.sleep(6000);
        boolean both = problems(z).isEmpty();
        progress.say("hostile check: " + (heartbeatOnly ? "no problem" : "A PROBLEM OPENED") + " after a dropped heartbeat, "
                + (both ? "no problem" : "A PROBLEM OPENED") + " after 1.5 s of both signals missing");
        return new HostDownRuns.Hostile(heartbeatOnly, both);
    }

    private HostDownRuns.Run run(int r, Context ctx, HostDownScene scene, HostSignals host, ZabbixSide z, Progress progress)
            throws Exception {
        progress.say("run " + r + "/" + ctx.runs() + ": resetting " + scene.vms() + " VMs");
        long resetStart = System.nanoTime();
        Instant resetAt = Instant.now();
        scene.reset();
        host.up(progress);
        long resetMillis = (System.nanoTime() - resetStart) / 1_000_000;
        armed(z, progress, resetAt);
        Path commands = ctx.dir().resolve("commands.log");
        long commandsFrom = Files.exists(commands) ? Files.size(commands) : 0;
        Path audit = ctx.dir().resolve("state/audit.jsonl");
        long auditFrom = Files.exists(audit) ? Files.size(audit) : 0;
        // Zabbix's escalator wakes every few seconds: a random pause puts each failure at a random phase.
        ListenerProcess.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(3000));
        progress.say("run " + r + ": killing KVM host " + HostDownScene.KVM_HOST + " (listener SIGKILL, port closed, "
                + scene.vms() + " domains destroyed, their services stopped)");
        Instant t0 = Instant.now();
        host.kill();
        scene.killVms();
        Instant killed = Instant.now();
        Map<Integer, Instant> answered = watch(scene, t0, progress);
        List<ZabbixSide.Problem> ps = problems(z);
        String eventId = ps.isEmpty() ? null : ps.get(0).eventId();
        Instant problem = ps.isEmpty() ? null : ps.get(0).clock();
        Instant command = problem == null ? null : pendingAfter(commands, commandsFrom, problem.minusMillis(200));
        JsonNode hostLine = eventId == null ? null : Evidence.auditLine(audit, auditFrom, eventId, Instant.now().plusSeconds(20));
        Map<Integer, Instant> dns = dnsSwitched(audit, auditFrom, scene);
        String ack = eventId == null ? null : ack(z, eventId, Instant.now().plusSeconds(10));
        progress.say("run " + r + ": " + answered.size() + "/" + scene.vms() + " answering on their standby; host line: "
                + (hostLine == null ? "none" : hostLine.path("headline").asText()));
        return new HostDownRuns.Run(r, t0, killed, problem, command, eventId, hostLine == null ? null : hostLine.path("headline").asText(),
                dns, answered, resetMillis, ack);
    }

    /** vcr's acknowledgement of the host's event (its summary), polled until the deadline; null when none came. */
    static String ack(ZabbixSide z, String eventId, Instant deadline) {
        while (true) {
            JsonNode e = z.event(eventId);
            for (JsonNode a : e.path("acknowledges")) {
                String m = a.path("message").asText();
                if (m.startsWith("vcr: host-down ")) return e.path("acknowledged").asText().equals("1") ? m : "(not acknowledged) " + m;
            }
            if (Instant.now().isAfter(deadline)) return null;
            ListenerProcess.sleep(200);
        }
    }

    /**
     * The first {@code recover --pending} the action wrapper logged at or after {@code since}: the
     * sandbox's actions are shared, so a line before the host's problem is another problem's run.
     */
    private static Instant pendingAfter(Path log, long from, Instant since) throws IOException {
        if (!Files.exists(log)) return null;
        String text = Files.readString(log);
        for (String line : text.substring((int) Math.min(from, text.length())).split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 3 || !f[1].equals("recover") || !f[2].equals("--pending")) continue;
            Instant at = Evidence.parseEpoch(f[0]);
            if (!at.isBefore(since)) return at;
        }
        return null;
    }

    /** Polls every VM's name until it resolves to its standby and answers there (or the deadline). */
    private static Map<Integer, Instant> watch(HostDownScene scene, Instant t0, Progress progress) {
        Map<Integer, Instant> ok = new HashMap<>();
        Instant deadline = t0.plus(DEADLINE);
        Instant note = Instant.now().plusSeconds(5);
        while (ok.size() < scene.vms() && Instant.now().isBefore(deadline)) {
            for (int i = 1; i <= scene.vms(); i++) {
                if (ok.containsKey(i)) continue;
                String want = scene.standbyAddress(i);
                if (scene.resolve(i).equals(List.of(want)) && new Watcher(() -> List.of(), HostDownScene.PORT).answers(want)) {
                    ok.put(i, Instant.now());
                }
            }
            if (Instant.now().isAfter(note)) {
                progress.say(ok.size() + "/" + scene.vms() + " answering on their standby after "
                        + Duration.between(t0, Instant.now()).toSeconds() + " s");
                note = note.plusSeconds(5);
            }
            ListenerProcess.sleep(20);
        }
        return ok;
    }

    /** Each VM's DNS switch (end of its dns step) from the audit lines after {@code from}. */
    private static Map<Integer, Instant> dnsSwitched(Path audit, long from, HostDownScene scene) throws IOException {
        Map<Integer, Instant> out = new HashMap<>();
        if (!Files.exists(audit)) return out;
        String text = Files.readString(audit);
        for (String line : text.substring((int) Math.min(from, text.length())).split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            String svc = n.path("service").asText();
            if (!svc.matches("hd-\\d+") || !n.path("result").asText().equals("OK")) continue;
            for (JsonNode s : n.path("steps")) {
                if (s.path("name").asText().equals("dns") && s.path("outcome").asText().equals("ok")) {
                    out.put(Integer.parseInt(svc.substring(3)), Instant.parse(s.path("started").asText()).plusMillis(s.path("millis").asLong()));
                }
            }
        }
        return out;
    }
}
