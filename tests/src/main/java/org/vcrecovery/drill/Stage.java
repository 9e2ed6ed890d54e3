package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One drill: sets up Zabbix ({@code vcr zabbix install}, the KVM host), the listener and the
 * scene once, then runs the failovers one after another, resetting the scene before each.
 */
final class Stage {
    static final String KVM_HOST = "drill-kvm";
    private static final String ENT = "1.3.6.1.4.1.36957";
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);
    private static final long ESCALATOR_PERIOD_MS = 3000;

    private final Mode mode;
    private final int runs;
    private final boolean viaSnmp;
    private final boolean serve;
    /** Null unless --via-proxy: the proxy monitoring the KVM host and the standby. */
    private final ProxyLoop proxy;
    private final List<ProxyMarks> proxyMarks = new ArrayList<>();
    private final Env env;
    private final Path repo;
    private final Path vcr;
    private final Path templates;
    private final Path dir;
    private final Path state;
    private final Progress progress;
    private final ListenerProcess listener;
    private final int snmpPort;
    /** The v2c community of this drill's listener: random, in its private config file, never "public". */
    private final String community = "drill-" + java.util.UUID.randomUUID();
    private ZabbixSide zabbix;
    private Scene scene;
    private Path wrapper;
    private ServeProcess server;
    private List<String> listenerArgs;

    Stage(Mode mode, int runs, boolean viaSnmp, boolean serve, boolean viaProxy, Env env, Path repo, Launchers launchers, Path dir,
          Progress progress) {
        this.proxy = viaProxy ? new ProxyLoop(env, dir) : null;
        this.mode = mode;
        this.runs = runs;
        this.viaSnmp = viaSnmp;
        this.serve = serve;
        this.env = env;
        this.repo = repo;
        this.vcr = launchers.vcr();
        this.templates = launchers.templates();
        this.dir = dir;
        this.state = dir.resolve("state");
        this.progress = progress;
        this.listener = new ListenerProcess(dir.resolve("listener"), launchers.listener());
        this.snmpPort = env.address("ZABBIX_TRAPPER").getPort() + 111; // 20162 next to the sandbox's 20051
    }

    ListenerProcess listener() {
        return listener;
    }

    // ---------------------------------------------------------------- for tests/chaos (Rig)

    /** Writes the action's wrapper, starts vcr serve (unless --no-serve) and sets up as {@link #run} does. */
    void prepare() throws Exception {
        wrapper = writeVcrSetup();
        if (serve) server = ServeProcess.start(dir, vcr, progress);
        setUp();
    }

    /** Starts vcr serve afresh (the old one, killed or not, is stopped first). */
    void restartServe() throws IOException {
        if (server != null) server.close();
        server = ServeProcess.start(dir, vcr, progress);
    }

    /** Stops vcr serve: actions run a fresh JVM until {@link #restartServe}. */
    void stopServe() {
        if (server != null) server.close();
    }

    /** Starts the listener again with the arguments of {@link #setUp}. */
    void restartListener() throws IOException {
        listener.ensure(listenerArgs, !viaSnmp, progress);
    }

    /** Stops vcr serve and closes the Zabbix client (the listener stays up, as after a drill). */
    void finish() {
        if (server != null) server.stop(progress);
        if (zabbix != null) zabbix.close();
    }

    Scene scene() {
        return scene;
    }

    ZabbixSide zabbix() {
        return zabbix;
    }

    ServeProcess server() {
        return server;
    }

    Path wrapper() {
        return wrapper;
    }

    Path state() {
        return state;
    }

    /** Runs the drill; vcr serve (unless --no-serve) runs from before the set-up until the end, also on failure. */
    Report run() throws Exception {
        progress.say("mode " + mode.key() + ", " + runs + " run(s), failure reported by "
                + (viaSnmp ? "an SNMP trap (snmptrap)" : "libvirt's lifecycle event") + ", vcr recover "
                + (serve ? "handed to vcr serve (one warm JVM)" : "as a fresh JVM per action (--no-serve)")
                + (proxy != null ? ", KVM host and standby monitored by the Zabbix proxy" : ""));
        if (proxy != null) proxy.ensure(progress);
        wrapper = writeVcrSetup();
        // Started first, as in production it runs long before any failure: its class preloading
        // is over by the time the first recovery arrives.
        server = serve ? ServeProcess.start(dir, vcr, progress) : null;
        try {
            return setUpAndRun();
        } finally {
            if (server != null) server.stop(progress);
        }
    }

    private Report setUpAndRun() throws Exception {
        setUp();
        List<RunResult> results = new ArrayList<>();
        try (VmShim shim = mode == Mode.RESUME
                ? new VmShim(scene.uri(), Scene.BACKUP_VM, scene.lxcPath(), scene.standbyContainer(), progress) : null) {
            for (int i = 1; i <= runs; i++) {
                arm(i);
                RunResult r = failover(i);
                results.add(r);
                progress.say("run " + i + ": " + (r.recovered() ? "recovered, client reached the standby after "
                        + r.totalMillis() + " ms" : "NOT recovered: " + r.failure()));
            }
        } finally {
            zabbix.close();
        }
        return new Report(mode, viaSnmp, serve, results, scene.standbyAddress(), scene.fqdn(), proxyMarks,
                env.get("ZABBIX_VERSION"));
    }

    /**
     * Sets up Zabbix (install, the KVM host), the scene and the listener once, as {@link #run}
     * does before its first failover; {@code tests/chaos} reaches it through {@link #prepare}.
     */
    void setUp() throws Exception {
        install(wrapper);
        zabbix = new ZabbixSide(URI.create(env.get("ZABBIX_API_URL")), env.path("ZABBIX_TOKEN_FILE"), KVM_HOST);
        var agent = env.address("ZABBIX_AGENT");
        zabbix.ensureKvmHost(env.get("ZABBIX_HOSTGROUP"), agent.getHostString(), agent.getPort(),
                Map.of("{$VCR.VM.DOWN.ON.PAUSED:\"" + Scene.BACKUP_VM + "\"}", "0",
                        // the sandbox's libvirtd is shared: other tests' VMs are not the drill's business
                        "{$VCR.VM.NAME.MATCHES}", "^drill-[A-Za-z0-9_.-]+$"));
        // Always set: a drill without --via-proxy takes the hosts back from an earlier proxy drill.
        String agentHostId = zabbix.call("host.get", Map.of("output", List.of("hostid"),
                "filter", Map.of("host", List.of(env.get("ZABBIX_AGENT_HOST"))))).path(0).path("hostid").asText();
        ProxyLoop.assign(zabbix, env, proxy != null, List.of(zabbix.kvmHostId(), agentHostId));
        scene = new Scene(mode, env, repo);
        progress.say("scene: primary domain " + Scene.PRIMARY_VM + " serving on " + Scene.PRIMARY_ADDR + ":" + Scene.PORT
                + ", standby " + scene.standbyContainer() + " on " + scene.standbyAddress() + ", name " + scene.fqdn());
        scene.build();
        Drill.write(dir.resolve("runbooks/drill-web.yaml"), scene.runbook(KVM_HOST), "rw-r--r--");
        // The listener has no default community and takes none on its command line: the drill's
        // goes in a config file of mode 0600, with the trap source pinned to loopback.
        Path listenerConfig = dir.resolve("listener/trap-listener.yaml");
        Drill.write(listenerConfig, "snmp:\n  communities: [" + community + "]\n  sources: [127.0.0.1]\n", "rw-------");
        List<String> args = Drill.list("--config", listenerConfig.toString(), "--snmp-listen", "127.0.0.1:" + snmpPort,
                "--zabbix", env.get(proxy != null ? "ZABBIX_PROXY_TRAPPER" : "ZABBIX_TRAPPER"), "--default-host", KVM_HOST,
                "--spool", dir.resolve("listener/spool").toString(), "--poll-interval", "5s");
        if (!viaSnmp) args.addAll(List.of("--libvirt", scene.uri()));
        Sh.run(30, env.get("ZABBIX_SERVER_BIN"), "-c", env.get("ZABBIX_SERVER_CONF"), "-R", "config_cache_reload");
        if (proxy != null) {
            ListenerProcess.sleep(300); // the server's cache first, then the proxy's copy of it
            proxy.reload();
        }
        listener.ensure(args, !viaSnmp, progress);
        listenerArgs = args;
    }

    /**
     * The wrapper the Zabbix action runs (stamps the time, points vcr at the drill's config and at
     * the drill's vcr serve, or keeps vcr off any server with --no-serve) and that config.
     */
    private Path writeVcrSetup() throws IOException {
        Files.createDirectories(state);
        Path wrapper = dir.resolve("bin/vcr");
        String serving = serve
                ? "# bin/vcr hands the recover line to the drill's vcr serve (a fresh JVM when it does not answer).\n"
                    + "unset VCR_SERVE\nexport VCR_SERVE_FILE=" + ServeProcess.addressFile(dir) + "\n"
                : "# --no-serve: a fresh JVM per action, whatever server runs on this machine.\nexport VCR_SERVE=off\n";
        Drill.write(wrapper, """
                #!/bin/sh
                # Written by tests/drill: what the Zabbix action runs on the sandbox agent. Notes when the
                # agent started it (the drill's "action ran vcr" mark), then runs vcr with the drill's config;
                # vcr's stderr (one line when it fails) is kept, since the agent does not wait for it.
                printf '%%s %%s\\n' "$(date +%%s.%%N)" "$*" >>%s
                %sexport VCR_CONFIG=%s
                exec %s "$@" 2>>%s
                """.formatted(dir.resolve("commands.log"), serving, dir.resolve("vcr.yaml"), vcr, dir.resolve("vcr-stderr.log")),
                "rwxr-xr-x");
        Drill.write(dir.resolve("vcr.yaml"), """
                # Written by tests/drill: vcr's settings for the drill (see remote-commands/src/main/dist/conf/vcr.yaml).
                zabbix:
                  url: %s
                  token-file: %s
                  timeout: 5s
                  version: "%s"
                runbooks: %s
                state-dir: %s
                dedup-window: 0s
                """.formatted(env.get("ZABBIX_API_URL"), env.get("ZABBIX_TOKEN_FILE"), env.get("ZABBIX_VERSION"), dir.resolve("runbooks"), state),
                "rw-r--r--");
        return wrapper;
    }

    private void install(Path wrapper) {
        progress.say("vcr zabbix install: templates, scripts and actions run on " + env.get("ZABBIX_AGENT_HOST") + "'s agent");
        Sh.Result r = Sh.run(repo, 120, List.of(vcr.toString(), "zabbix", "install", "--url", env.get("ZABBIX_API_URL"),
                "--token-file", env.get("ZABBIX_TOKEN_FILE"), "--standby-host", env.get("ZABBIX_AGENT_HOST"),
                "--vcr-path", wrapper.toString(), "--templates", templates.toString()));
        if (!r.ok()) throw new DrillException(r.code() == 3 ? 3 : 1, "vcr zabbix install failed (exit " + r.code() + "): " + Sh.oneLine(r.out()));
        for (String line : r.out().split("\n")) if (!line.contains("up to date") && !line.startsWith("note:")) progress.say("  " + line);
    }

    /**
     * The actions and scripts are global in Zabbix: another {@code vcr zabbix install} (a test, an
     * operator) may have pointed them elsewhere since ours. Installs again when the VM-down
     * action's script does not run our wrapper on the agent.
     */
    private void ensureOurAction() {
        JsonNode s = zabbix.call("script.get", Map.of("output", List.of("command", "execute_on"),
                "filter", Map.of("name", List.of("vcrecovery: recover VM (action)"))));
        boolean ours = s.size() == 1 && s.path(0).path("command").asText().equals(wrapper + " recover --pending")
                && s.path(0).path("execute_on").asText().equals("0");
        if (ours) return;
        progress.say("the VM-down action no longer runs the drill's vcr (another install changed it): installing again");
        install(wrapper);
        Sh.run(30, env.get("ZABBIX_SERVER_BIN"), "-c", env.get("ZABBIX_SERVER_CONF"), "-R", "config_cache_reload");
        ListenerProcess.sleep(2000);
    }

    /** Resets the scene and waits until Zabbix has the primary running and no problem open for it. */
    void arm(int run) throws Exception {
        progress.say("run " + run + "/" + runs + ": resetting the scene");
        if (server != null && !server.alive()) {
            progress.say("vcr serve is no longer running (" + server.tail() + "): bin/vcr will run a fresh JVM, and the run will say so");
        }
        ensureOurAction();
        scene.reset();
        deleteChildren(state.resolve("dedup"));
        Instant deadline = Instant.now().plusSeconds(90);
        Instant nextNote = Instant.now().plusSeconds(5);
        Instant lastTrap = Instant.EPOCH;
        while (true) {
            if (viaSnmp && Instant.now().isAfter(lastTrap.plusSeconds(2))) {
                trap(1);
                lastTrap = Instant.now();
            }
            Optional<JsonNode> item = zabbix.stateItem(Scene.PRIMARY_VM);
            boolean running = item.isPresent() && item.get().path("lastvalue").asText().equals("1");
            List<ZabbixSide.Problem> open = zabbix.problems(Scene.PRIMARY_VM);
            if (running && open.isEmpty()) return;
            if (Instant.now().isAfter(deadline)) {
                throw new DrillException(1, "Zabbix never saw " + Scene.PRIMARY_VM + " running again within 90 s (item "
                        + (item.isPresent() ? "value " + item.get().path("lastvalue").asText() : "not discovered yet")
                        + ", open problems " + open.size() + "); see " + listener.log());
            }
            if (Instant.now().isAfter(nextNote)) {
                progress.say("waiting for Zabbix: " + (item.isEmpty() ? "discovery of " + Scene.PRIMARY_VM
                        : "state " + item.get().path("lastvalue").asText() + ", " + open.size() + " open problem(s)"));
                nextNote = nextNote.plusSeconds(5);
            }
            ListenerProcess.sleep(200);
        }
    }

    private RunResult failover(int run) throws Exception {
        String itemId = zabbix.stateItem(Scene.PRIMARY_VM).orElseThrow().path("itemid").asText();
        Path commands = dir.resolve("commands.log");
        long commandsFrom = Files.exists(commands) ? Files.size(commands) : 0;
        long serveFrom = server == null ? 0 : server.logSize();
        Path audit = state.resolve("audit.jsonl");
        long auditFrom = Files.exists(audit) ? Files.size(audit) : 0;
        long proxyFrom = proxy == null ? 0 : proxy.offset();
        AtomicReference<ZabbixSide.Problem> problem = new AtomicReference<>();
        AtomicReference<Instant> problemSeen = new AtomicReference<>();
        Thread poller = new Thread(() -> {
            while (problem.get() == null && !Thread.currentThread().isInterrupted()) {
                try {
                    List<ZabbixSide.Problem> ps = zabbix.problems(Scene.PRIMARY_VM);
                    if (!ps.isEmpty()) {
                        problemSeen.set(Instant.now());
                        problem.set(ps.get(0));
                        return;
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the API hiccupped: ask again
                }
            }
        }, "problem-poller");
        poller.setDaemon(true);

        // Zabbix's escalator wakes every 3 s: back-to-back runs would fall into step with it and
        // measure one phase only. A random pause makes each failure arrive at a random phase.
        ListenerProcess.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(ESCALATOR_PERIOD_MS));
        progress.say("run " + run + "/" + runs + ": injecting the failure: destroying " + Scene.PRIMARY_VM
                + (viaSnmp ? " and sending a libvirt-snmp trap" : "") + ", stopping its service");
        poller.start();
        Instant t0 = scene.inject(() -> {
            if (viaSnmp) trap(5);
        });
        Watcher watcher = new Watcher(scene::resolve, Scene.PORT);
        Instant clientOk = watcher.await(scene.standbyAddress(), t0.plus(RECOVERY_DEADLINE), progress, t0);
        poller.join(clientOk == null ? 1000 : 10_000);
        poller.interrupt();

        Map<Mark, Instant> marks = new EnumMap<>(Mark.class);
        marks.put(Mark.INJECTED, t0);
        zabbix.firstValue(itemId, "5", t0.minusMillis(1)).ifPresent(t -> marks.put(Mark.LISTENER_SAW, t));
        String eventId = problem.get() == null ? null : problem.get().eventId();
        Optional<String[]> cmd = Evidence.command(commands, commandsFrom, eventId);
        if (eventId == null && cmd.isPresent()) eventId = cmd.get()[1];
        cmd.ifPresent(c -> marks.put(Mark.COMMAND_RAN, Evidence.parseEpoch(c[0])));
        if (problemSeen.get() != null) {
            Instant seen = problemSeen.get();
            Instant ran = marks.get(Mark.COMMAND_RAN);
            marks.put(Mark.PROBLEM, ran != null && ran.isBefore(seen) ? ran : seen);
        }
        JsonNode report = eventId == null ? null : Evidence.auditLine(audit, auditFrom, eventId, Instant.now().plusSeconds(20));
        String vcrResult = null;
        if (report != null) {
            vcrResult = report.path("result").asText();
            Evidence.marksFromReport(report, marks);
        }
        if (proxy != null) proxyMarks.add(proxy.marks(run, proxyFrom, marks.getOrDefault(Mark.LISTENER_SAW, t0), eventId));
        VcrRun how = howVcrRan(eventId, serveFrom, report != null);
        boolean acked = eventId != null && acknowledged(eventId, Instant.now().plusSeconds(10));
        List<String> answer = scene.resolve();
        boolean port = watcher.answers(scene.standbyAddress());
        String failure = null;
        if (clientOk == null) failure = "clients did not reach the standby within " + RECOVERY_DEADLINE.toSeconds() + " s (DNS says " + answer + ")";
        else if (!answer.equals(List.of(scene.standbyAddress()))) failure = "DNS answers " + answer + ", not the standby";
        else if (!port) failure = "the standby's port stopped answering";
        else if (eventId == null) failure = "no Zabbix problem event was seen";
        else if (report == null) failure = "vcr recover left no report for event " + eventId + " in " + audit + lastStderr();
        else if (!"OK".equals(vcrResult)) failure = "vcr recover ended " + vcrResult + ": " + report.path("headline").asText();
        else if (!acked) failure = "event " + eventId + " is not acknowledged with the step list";
        if (failure != null && cmd.isEmpty()) failure += "; the action never ran " + dir.resolve("bin/vcr") + " (see "
                + env.get("STATE_DIR") + "/log/zabbix_server.log and Zabbix's action log)";
        return new RunResult(run, eventId, marks, clientOk, String.join(",", answer), port, acked, vcrResult, failure, how);
    }

    /**
     * Whether vcr serve ran this run: its line for the event, written right after the run (so
     * after the audit line the drill already has); no line within 5 s means bin/vcr ran a fresh JVM.
     */
    private VcrRun howVcrRan(String eventId, long serveFrom, boolean reported) throws IOException {
        if (server == null) return VcrRun.freshJvm();
        if (eventId == null) return VcrRun.notServed("no event seen, so no run of vcr serve to look for");
        Optional<ServeProcess.Run> r = server.run(eventId, serveFrom, Instant.now().plusSeconds(reported ? 5 : 1));
        if (r.isPresent()) return VcrRun.served(r.get().millis());
        String where = !server.alive() ? "vcr serve is no longer running (" + server.tail() + ")"
                : "vcr serve has no line for event " + eventId + " in " + ServeProcess.log(dir);
        return VcrRun.notServed(where + (reported ? ": bin/vcr ran it as a fresh JVM" : ""));
    }

    /** The last line vcr printed on stderr (kept by the wrapper), as a suffix for a failure message. */
    private String lastStderr() throws IOException {
        Path f = dir.resolve("vcr-stderr.log");
        if (!Files.exists(f)) return "";
        List<String> lines = Files.readAllLines(f);
        return lines.isEmpty() ? "" : "; its last error: " + lines.get(lines.size() - 1);
    }

    /** Polls event.get until the event is acknowledged with the step list (check and dns lines). */
    private boolean acknowledged(String eventId, Instant deadline) {
        while (true) {
            JsonNode e = zabbix.event(eventId);
            if (e.path("acknowledged").asText().equals("1")) {
                for (JsonNode a : e.path("acknowledges")) {
                    String msg = a.path("message").asText();
                    if (msg.contains("\ncheck ok") && msg.contains("\ndns ok")) return true;
                }
            }
            if (Instant.now().isAfter(deadline)) return false;
            ListenerProcess.sleep(200);
        }
    }

    /** Sends a libvirt-snmp guest-state trap for the primary domain to the listener. */
    private void trap(int state) {
        String[] uuid = {""};
        scene.withDomain(Scene.PRIMARY_VM, d -> uuid[0] = d.getUUIDString());
        Sh.Result r = Sh.run(10, env.get("SNMPTRAP"), "-v", "2c", "-c", community, "127.0.0.1:" + snmpPort, "",
                ENT + ".0.1", ENT + ".1.1.1.1", "s", uuid[0], ENT + ".1.1.1.2", "s", Scene.PRIMARY_VM,
                ENT + ".1.1.1.3", "i", Integer.toString(state));
        if (!r.ok()) throw new DrillException(1, "snmptrap failed: " + Sh.oneLine(r.out()));
    }

    private static void deleteChildren(Path d) throws IOException {
        if (!Files.isDirectory(d)) return;
        try (var s = Files.list(d)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
        }
    }

    /** Where to look afterwards: the Zabbix frontend with the acknowledged event. */
    void printInspection(Report r) {
        String front = env.get("ZABBIX_FRONTEND_URL");
        String last = r.lastEventId();
        progress.say("sandbox left up for inspection (tests/drill --down stops it):");
        progress.say("  Zabbix " + front + (last == null ? "" : "tr_events.php?eventid=" + last + "&triggerid="
                + triggerOf(last)) + "  user " + env.get("ZABBIX_USER") + ", password in " + env.get("ZABBIX_PASSWORD_FILE"));
        progress.say("  Monitoring > Problems > show: Recent problems, host " + KVM_HOST + ": the event's acknowledgement lists every step");
        progress.say("  listener log " + listener.log() + ", vcr audit " + state.resolve("audit.jsonl")
                + ", action commands " + dir.resolve("commands.log") + (serve ? ", vcr serve log " + ServeProcess.log(dir) : ""));
    }

    private String triggerOf(String eventId) {
        try (ZabbixSide z = new ZabbixSide(URI.create(env.get("ZABBIX_API_URL")), env.path("ZABBIX_TOKEN_FILE"), KVM_HOST)) {
            return z.event(eventId).path("objectid").asText();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
