package org.vcrecovery.vcr.standby.lxc;

import static org.vcrecovery.vcr.standby.StandbyBackends.requireValidTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * LXC containers through the {@code lxc-*} tools, each given {@code -n NAME -P LXCPATH}.
 *
 * <p>start: {@code lxc-unfreeze} when frozen, else {@code lxc-start -d} (which returns once the
 * container runs). stop: {@code lxc-stop -k} (thawing a frozen one first). suspend:
 * {@code lxc-freeze}. reboot: a hard stop then a start (busybox-style inits do not reboot on
 * LXC's signal). The address comes from the container's own config file:
 * {@code lxc.environment = VCR_ADDRESS=127.0.1.5} first (host-network containers whose service
 * binds one loopback address), then the first {@code lxc.net.N.ipv4.address}.
 */
final class LxcBackend implements StandbyBackend {
    private static final Pattern STATE = Pattern.compile("(?m)^State:\\s*(\\S+)");
    private static final Pattern ENV_ADDRESS = Pattern.compile("(?m)^\\s*lxc\\.environment\\s*=\\s*VCR_ADDRESS=(\\S+)\\s*$");
    private static final Pattern NET_ADDRESS = Pattern.compile("(?m)^\\s*lxc\\.net\\.\\d+\\.ipv4\\.address\\s*=\\s*([0-9.]+)");
    private static final Duration QUICK = Duration.ofSeconds(10);

    private final Path lxcpath;
    private final ToolRunner tools;

    LxcBackend(Path lxcpath, ToolRunner tools) {
        this.lxcpath = lxcpath;
        this.tools = tools;
    }

    @Override
    public String name() {
        return LxcBackendFactory.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SUSPEND, Capability.REBOOT);
    }

    @Override
    public StandbyState status(String target) {
        requireValidTarget(name(), target);
        return status(target, QUICK);
    }

    private StandbyState status(String target, Duration timeout) {
        if (!Files.isRegularFile(lxcpath.resolve(target).resolve("config"))) return StandbyState.ABSENT;
        ToolRunner.Result r = tools.run(argv("lxc-info", target, "-s"), timeout);
        if (r.exitCode() != 0) {
            if (notFound(r)) return StandbyState.ABSENT;
            throw failure(r, "lxc-info", target);
        }
        Matcher m = STATE.matcher(r.stdout());
        return m.find() ? parseState(m.group(1)) : StandbyState.UNKNOWN;
    }

    static StandbyState parseState(String lxcState) {
        return switch (lxcState.toUpperCase(Locale.ROOT)) {
            case "RUNNING", "THAWED" -> StandbyState.RUNNING;
            case "FROZEN" -> StandbyState.PAUSED;
            case "STOPPED" -> StandbyState.STOPPED;
            default -> StandbyState.UNKNOWN; // STARTING, STOPPING, ABORTING, FREEZING
        };
    }

    @Override
    public void start(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        switch (requirePresent(target, d)) {
            case RUNNING -> {
                return;
            }
            case PAUSED -> {
                run(argv("lxc-unfreeze", target), d, target);
                await(target, "RUNNING", d);
            }
            default -> {
                run(argv("lxc-start", target, "-d"), d, target);
                await(target, "RUNNING", d);
            }
        }
    }

    @Override
    public void stop(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        StandbyState s = requirePresent(target, d);
        if (s == StandbyState.STOPPED) return;
        if (s == StandbyState.PAUSED) run(argv("lxc-unfreeze", target), d, target);
        run(argv("lxc-stop", target, "-k"), d, target);
        await(target, "STOPPED", d);
    }

    @Override
    public void suspend(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        StandbyState s = requirePresent(target, d);
        if (s == StandbyState.PAUSED) return;
        if (s != StandbyState.RUNNING) {
            throw new StandbyException(Code.FAILED, "lxc: cannot suspend container '" + target + "': it is " + s);
        }
        run(argv("lxc-freeze", target), d, target);
        await(target, "FROZEN", d);
    }

    @Override
    public void reboot(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        stop(target, d.remaining());
        start(target, d.remaining());
    }

    @Override
    public Optional<String> address(String target) {
        requireValidTarget(name(), target);
        Path config = lxcpath.resolve(target).resolve("config");
        String text;
        try {
            text = Files.readString(config);
        } catch (IOException e) {
            return Optional.empty();
        }
        return addressFromConfig(text);
    }

    static Optional<String> addressFromConfig(String text) {
        Matcher env = ENV_ADDRESS.matcher(text);
        if (env.find()) return Optional.of(env.group(1));
        Matcher net = NET_ADDRESS.matcher(text);
        return net.find() ? Optional.of(net.group(1)) : Optional.empty();
    }

    @Override
    public List<StandbyInfo> list() {
        ToolRunner.Result r = tools.run(List.of("lxc-ls", "-P", lxcpath.toString(), "--fancy", "-F", "NAME,STATE"), QUICK);
        if (r.exitCode() != 0) throw failure(r, "lxc-ls", null);
        return parseList(r.stdout()).stream()
                .map(i -> new StandbyInfo(i.name(), i.state(), address(i.name())))
                .toList();
    }

    /** Parses {@code lxc-ls --fancy -F NAME,STATE}: a header line, then "name state" rows. */
    static List<StandbyInfo> parseList(String out) {
        List<StandbyInfo> infos = new ArrayList<>();
        String[] lines = out.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].trim().split("\\s+");
            if (cols.length < 2 || cols[0].isEmpty()) continue;
            infos.add(new StandbyInfo(cols[0], parseState(cols[1]), Optional.empty()));
        }
        return infos;
    }

    @Override
    public void close() {
        // Nothing held between calls.
    }

    List<String> argv(String tool, String target, String... extra) {
        List<String> argv = new ArrayList<>(List.of(tool, "-n", target, "-P", lxcpath.toString()));
        argv.addAll(List.of(extra));
        return argv;
    }

    private StandbyState requirePresent(String target, Deadline d) {
        StandbyState s = status(target, d.remaining());
        if (s == StandbyState.ABSENT) {
            throw new StandbyException(Code.NOT_FOUND, "lxc: no container '" + target + "' in " + lxcpath);
        }
        return s;
    }

    private void run(List<String> argv, Deadline d, String target) {
        ToolRunner.Result r = tools.run(argv, d.remaining());
        if (r.exitCode() != 0) throw failure(r, argv.get(0), target);
    }

    /** lxc-wait for {@code state}; its -t is whole seconds, so round up and let the runner enforce the rest. */
    private void await(String target, String state, Deadline d) {
        Duration left = d.remaining();
        long secs = Math.max(1, (left.toMillis() + 999) / 1000);
        ToolRunner.Result r = tools.run(argv("lxc-wait", target, "-s", state, "-t", Long.toString(secs)), left);
        if (r.exitCode() != 0) {
            throw new StandbyException(Code.TIMEOUT, "lxc: container '" + target + "' did not reach " + state
                    + " within " + left.toMillis() + " ms" + detail(r));
        }
    }

    private StandbyException failure(ToolRunner.Result r, String tool, String target) {
        String what = target == null ? tool : tool + " on '" + target + "'";
        Code code = notFound(r) ? Code.NOT_FOUND : refused(r) ? Code.REFUSED : Code.FAILED;
        return new StandbyException(code, "lxc: " + what + " failed (exit " + r.exitCode() + ")" + detail(r));
    }

    private static String detail(ToolRunner.Result r) {
        String e = r.lastError();
        return e.isEmpty() ? "" : ": " + e;
    }

    private static boolean notFound(ToolRunner.Result r) {
        String s = (r.stderr() + r.stdout()).toLowerCase(Locale.ROOT);
        return s.contains("doesn't exist") || s.contains("does not exist") || s.contains("is not defined");
    }

    private static boolean refused(ToolRunner.Result r) {
        String s = (r.stderr() + r.stdout()).toLowerCase(Locale.ROOT);
        return s.contains("permission denied") || s.contains("operation not permitted");
    }

    /** The time left of one operation; TIMEOUT once it is used up. */
    private static final class Deadline {
        private final long end;
        private final Duration total;

        Deadline(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.total = timeout;
            this.end = System.nanoTime() + timeout.toNanos();
        }

        Duration remaining() {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new StandbyException(Code.TIMEOUT, "lxc: operation did not finish within " + total.toMillis() + " ms");
            }
            return Duration.ofNanos(left);
        }
    }
}
