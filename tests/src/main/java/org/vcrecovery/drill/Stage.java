package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One drill: sets up Zabbix ({@code vcr zabbix install} through {@link Installation}, the KVM
 * host), the listener and the scene once, then runs the failovers ({@link Failover}) one after
 * another, resetting the scene before each.
 */
final class Stage {
    static final String KVM_HOST = "drill-kvm";
    private static final String ENT = "1.3.6.1.4.1.36957";

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
    private final Installation installation;
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
        this.installation = new Installation(env, repo, launchers, dir, serve, progress);
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
        wrapper = installation.writeVcrSetup();
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

    // ---------------------------------------------------------------- for Failover

    Env env() {
        return env;
    }

    Path dir() {
        return dir;
    }

    ProxyLoop proxy() {
        return proxy;
    }

    List<ProxyMarks> proxyMarks() {
        return proxyMarks;
    }

    Progress progress() {
        return progress;
    }

    int runs() {
        return runs;
    }

    boolean viaSnmp() {
        return viaSnmp;
    }

    /** Runs the drill; vcr serve (unless --no-serve) runs from before the set-up until the end, also on failure. */
    Report run() throws Exception {
        progress.say("mode " + mode.key() + ", " + runs + " run(s), failure reported by "
                + (viaSnmp ? "an SNMP trap (snmptrap)" : "libvirt's lifecycle event") + ", vcr recover "
                + (serve ? "handed to vcr serve (one warm JVM)" : "as a fresh JVM per action (--no-serve)")
                + (proxy != null ? ", KVM host and standby monitored by the Zabbix proxy" : ""));
        if (proxy != null) proxy.ensure(progress);
        wrapper = installation.writeVcrSetup();
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
                RunResult r = new Failover(this).run(i);
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
        installation.install(wrapper);
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

    /** Resets the scene and waits until Zabbix has the primary running and no problem open for it. */
    void arm(int run) throws Exception {
        progress.say("run " + run + "/" + runs + ": resetting the scene");
        if (server != null && !server.alive()) {
            progress.say("vcr serve is no longer running (" + server.tail() + "): bin/vcr will run a fresh JVM, and the run will say so");
        }
        installation.ensureOurAction(zabbix, wrapper);
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

    /** Sends a libvirt-snmp guest-state trap for the primary domain to the listener. */
    void trap(int state) {
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
