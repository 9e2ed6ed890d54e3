package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The drill's set-up as a handle for other runners ({@code tests/chaos}): the warm scene, Zabbix
 * (templates, actions running the drill's wrapper, the KVM host), the listener and vcr serve, all
 * as {@code tests/drill} sets them up in its directory ({@code $STATE_DIR/drill}, holding the
 * drill's lock for the rig's life), plus the knobs a fault injector needs: restart vcr serve or
 * the listener, read the audit log, the event, the state item's history. Every failure is a
 * {@link DrillException} (exit 3: the sandbox or the build is missing; 1: anything else).
 */
public final class Rig implements AutoCloseable {
    /** A command's exit code and output (stdout and stderr). */
    public record Exec(int code, String out) {
        public boolean ok() {
            return code == 0;
        }
    }

    private final Env env;
    private final Stage stage;
    private final Path dir;
    private final Progress progress;
    private final FileChannel lockFile;
    private final FileLock lock;

    private Rig(Env env, Stage stage, Path dir, Progress progress, FileChannel lockFile, FileLock lock) {
        this.env = env;
        this.stage = stage;
        this.dir = dir;
        this.progress = progress;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Sets everything up from the checkout {@code repo} (built), saying what it does on {@code out}. */
    public static Rig open(Path repo, PrintStream out) throws Exception {
        return open(repo, out, false);
    }

    /**
     * As {@link #open(Path, PrintStream)}; with {@code viaProxy} the KVM host and the standby are
     * monitored by the sandbox's active Zabbix proxy (started when needed), as {@code tests/drill --via-proxy}.
     */
    public static Rig open(Path repo, PrintStream out, boolean viaProxy) throws Exception {
        Progress progress = new Progress(out);
        Launchers launchers = Launchers.checkout(repo);
        Env env = Env.load();
        Path dir = Path.of(env.get("STATE_DIR"), "drill");
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("drill.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            throw new DrillException(1, "a drill is running (it holds " + dir.resolve("drill.lock") + ")");
        }
        Stage stage = new Stage(Mode.WARM, 1, false, true, viaProxy, env, repo, launchers, dir, progress);
        Rig rig = new Rig(env, stage, dir, progress, ch, lock);
        try {
            stage.prepare();
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    /** Whether the KVM host and the standby are monitored by the Zabbix proxy. */
    public boolean viaProxy() {
        return stage.proxy() != null;
    }

    public void say(String line) {
        progress.say(line);
    }

    public String env(String key) {
        return env.get(key);
    }

    /** Rewrites the runbook vcr follows: {@code edit} of the drill's own (e.g. another DNS server). */
    public void editRunbook(UnaryOperator<String> edit) throws IOException {
        Drill.write(runbook(), edit.apply(stage.scene().runbook(Stage.KVM_HOST)), "rw-r--r--");
    }

    public Path runbook() {
        return dir.resolve("runbooks/drill-web.yaml");
    }

    /** Resets the scene (DNS on the primary, primary and standby serving) and waits until Zabbix has no problem open. */
    public void arm(int run) throws Exception {
        stage.arm(run);
    }

    /** Destroys the primary domain and stops its service; returns the instant right before. */
    public Instant failPrimary() {
        return stage.scene().inject(() -> { });
    }

    public List<String> resolve() {
        return stage.scene().resolve();
    }

    /** True when {@code address}:8080 answers HTTP 200 within 500 ms. */
    public boolean answers(String address) {
        return new Watcher(this::resolve, Scene.PORT).answers(address);
    }

    public String primaryAddress() {
        return Scene.PRIMARY_ADDR;
    }

    public String primaryDomain() {
        return Scene.PRIMARY_VM;
    }

    public String standbyAddress() {
        return stage.scene().standbyAddress();
    }

    public String standbyContainer() {
        return stage.scene().standbyContainer();
    }

    public String lxcPath() {
        return stage.scene().lxcPath();
    }

    public String kvmHost() {
        return Stage.KVM_HOST;
    }

    /** Whether libvirt says the primary domain runs (it must answer: libvirtd may be paused by a fault). */
    public boolean primaryActive() {
        boolean[] a = {false};
        stage.scene().withDomain(Scene.PRIMARY_VM, d -> a[0] = d.isActive() == 1);
        return a[0];
    }

    /** Event ids of the open problems of the primary VM. */
    public List<String> problems() {
        List<String> ids = new ArrayList<>();
        for (ZabbixSide.Problem p : stage.zabbix().problems(Scene.PRIMARY_VM)) ids.add(p.eventId());
        return ids;
    }

    /** event.get of {@code eventId} with its acknowledgements. */
    public JsonNode event(String eventId) {
        return stage.zabbix().event(eventId);
    }

    /** A value Zabbix stored for an item: its clock (with ns) and value. */
    public record Value(Instant clock, String value) {}

    /** Values of the primary's state item stored by Zabbix at or after {@code since}, oldest first. */
    public List<Value> stateValuesSince(Instant since) {
        Optional<JsonNode> item = stage.zabbix().stateItem(Scene.PRIMARY_VM);
        if (item.isEmpty()) return List.of();
        JsonNode h = stage.zabbix().call("history.get", Map.of("output", "extend", "history", 3,
                "itemids", List.of(item.get().path("itemid").asText()), "time_from", since.getEpochSecond(),
                "sortfield", "clock", "sortorder", "ASC", "limit", 500));
        List<Value> out = new ArrayList<>();
        for (JsonNode v : h) if (!ZabbixSide.instant(v).isBefore(since)) out.add(new Value(ZabbixSide.instant(v), v.path("value").asText()));
        return out;
    }

    public Path auditLog() {
        return stage.state().resolve("audit.jsonl");
    }

    public Path stateDir() {
        return stage.state();
    }

    /** The wrapper the Zabbix action runs (vcr with the drill's config, handed to vcr serve when it runs). */
    public Path wrapper() {
        return stage.wrapper();
    }

    public Path listenerLog() {
        return stage.listener().log();
    }

    /** vcr serve's pid, or empty when it is not running. */
    public Optional<Long> servePid() {
        ServeProcess s = stage.server();
        return s != null && s.alive() ? Optional.of(s.pid()) : Optional.empty();
    }

    public Optional<Long> listenerPid() throws IOException {
        return stage.listener().running();
    }

    public void restartServe() throws IOException {
        stage.restartServe();
    }

    public void stopServe() {
        stage.stopServe();
    }

    public void restartListener() throws IOException {
        stage.restartListener();
    }

    /** Runs a command (no shell) within {@code timeoutSeconds}. */
    public static Exec exec(long timeoutSeconds, String... cmd) {
        Sh.Result r = Sh.run(timeoutSeconds, cmd);
        return new Exec(r.code(), r.out());
    }

    public static void sleep(long ms) {
        ListenerProcess.sleep(ms);
    }

    /** Stops vcr serve, closes the Zabbix client and releases the drill's lock; the listener stays up. */
    @Override
    public void close() {
        try {
            stage.finish();
        } finally {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }
}
