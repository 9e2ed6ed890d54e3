package org.vcrecovery.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vcr serve} run by the drill, as production runs it next to the Zabbix agent: its
 * address file ({@code serve.addr}), its output ({@code serve.log}: the "listening" line, then one
 * line per run) and its pid ({@code serve.pid}) in the drill's directory. {@link #start} stops a
 * server an earlier drill left behind, starts a fresh one and waits until it is ready (address
 * file written and "listening" printed); one that exits or is not ready within
 * {@value #READY_SECONDS} s is a {@link DrillException} quoting its output. {@link #close} stops it
 * (SIGTERM: runs in progress finish; SIGKILL after {@value #STOP_SECONDS} s), also when the drill
 * JVM is told to stop.
 */
final class ServeProcess implements AutoCloseable {
    static final int READY_SECONDS = 30;
    static final int STOP_SECONDS = 15;
    private static final String MAIN = "org.vcrecovery.vcr.Vcr serve";
    private static final String READY = "vcr serve: listening on ";
    /** {@code vcr serve: vcr recover ARGS -> exit N in M ms}, as ServeServer logs each run it accepted. */
    private static final Pattern RUN = Pattern.compile("^vcr serve: vcr recover (.*) -> exit (\\d+) in (\\d+) ms$");

    /** A run the server accepted: its exit code and how long it ran there. */
    record Run(int exit, long millis) {}

    private final Path dir;
    private final Process process;
    private final Thread hook;

    private ServeProcess(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.hook = new Thread(this::stopQuietly, "drill-serve-stop");
    }

    static Path addressFile(Path dir) {
        return dir.resolve("serve.addr");
    }

    static Path log(Path dir) {
        return dir.resolve("serve.log");
    }

    /** Starts {@code vcr serve} through {@code vcr} (bin/vcr) and waits until it is ready. */
    static ServeProcess start(Path dir, Path vcr, Progress progress) throws IOException {
        stopLeftover(dir, progress);
        Path addr = addressFile(dir);
        Files.deleteIfExists(addr);
        ProcessBuilder pb = new ProcessBuilder(vcr.toString(), "serve", "--address-file", addr.toString())
                .redirectErrorStream(true).redirectOutput(log(dir).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // The server reads the callers' VCR_CONFIG/VCR_RUNBOOKS/VCR_STATE_DIR, never its own.
        pb.environment().keySet().removeAll(List.of("VCR_SERVE", "VCR_SERVE_FILE", "VCR_CONFIG", "VCR_RUNBOOKS", "VCR_STATE_DIR"));
        Process p = pb.start();
        Files.writeString(dir.resolve("serve.pid"), Long.toString(p.pid()));
        ServeProcess s = new ServeProcess(dir, p);
        Runtime.getRuntime().addShutdownHook(s.hook);
        try {
            s.awaitReady();
        } catch (RuntimeException | IOException e) {
            s.close();
            throw e;
        }
        progress.say("vcr serve started (pid " + p.pid() + ", " + s.listening() + ", address file " + addr
                + ", log " + log(dir) + ")");
        return s;
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plusSeconds(READY_SECONDS);
        while (!(Files.exists(addressFile(dir)) && output().contains(READY))) {
            if (!process.isAlive()) {
                throw new DrillException(1, "vcr serve exited " + process.exitValue() + " before it was ready: " + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new DrillException(1, "vcr serve not ready after " + READY_SECONDS + " s (no address file "
                        + addressFile(dir) + " or no '" + READY.trim() + "' line): " + tail());
            }
            ListenerProcess.sleep(50);
        }
    }

    /** Where it listens, from its first line ("127.0.0.1:PORT"); never the token. */
    String listening() throws IOException {
        for (String line : output().split("\n")) {
            if (line.startsWith(READY)) return "listening on " + line.substring(READY.length()).split(" ")[0];
        }
        return "listening";
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * The server's line for the run of {@code eventId}, polled until {@code deadline}: it is
     * written right after the run ends, so a run the server did not log by then ran elsewhere
     * (bin/vcr started a fresh JVM).
     */
    Optional<Run> run(String eventId, long from, Instant deadline) throws IOException {
        while (true) {
            boolean last = !Instant.now().isBefore(deadline) || !alive();
            String out = output();
            Optional<Run> r = find(out.substring((int) Math.min(from, out.length())), eventId);
            if (r.isPresent() || last) return r;
            ListenerProcess.sleep(50);
        }
    }

    /**
     * The run of {@code eventId} in {@code log}: its {@code --event-id} line, or else the first
     * {@code vcr recover --pending} line (what the actions run: it names no event, so callers pass
     * the log from the drill run's start, when one failure is the only pending problem).
     */
    static Optional<Run> find(String log, String eventId) {
        Optional<Run> pending = Optional.empty();
        for (String line : log.split("\n")) {
            Matcher m = RUN.matcher(line);
            if (!m.matches()) continue;
            List<String> args = List.of(m.group(1).split(" "));
            if (pending.isEmpty() && args.contains("--pending")) {
                pending = Optional.of(new Run(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
            }
            int i = args.indexOf("--event-id");
            if (i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(eventId)) {
                return Optional.of(new Run(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
            }
        }
        return pending;
    }

    /** The log's size now: where the lines of a run that starts now begin. */
    long logSize() throws IOException {
        Path f = log(dir);
        return Files.exists(f) ? Files.size(f) : 0;
    }

    private String output() throws IOException {
        Path f = log(dir);
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    String tail() throws IOException {
        List<String> lines = List.of(output().split("\n"));
        return Sh.oneLine(String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
    }

    /** Stops the server: SIGTERM, then SIGKILL after {@value #STOP_SECONDS} s; removes what it leaves. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already stopping: the hook does this
        }
        stopQuietly();
    }

    /** Stops it and says how it ended. */
    void stop(Progress progress) {
        close();
        progress.say("vcr serve stopped (pid " + process.pid() + ", exit " + process.exitValue() + ")");
    }

    private void stopQuietly() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(dir.resolve("serve.pid"));
            // a server that had to be killed leaves its address file: bin/vcr would try it in vain
            Files.deleteIfExists(addressFile(dir));
        } catch (IOException e) {
            // best effort: start() clears them next time
        }
    }

    /** A server left by a drill that was killed: stop it, so ours is the only one on this address file. */
    private static void stopLeftover(Path dir, Progress progress) throws IOException {
        Path f = dir.resolve("serve.pid");
        if (!Files.exists(f)) return;
        Optional<ProcessHandle> h;
        try {
            h = ProcessHandle.of(Long.parseLong(Files.readString(f).trim()));
        } catch (NumberFormatException e) {
            h = Optional.empty();
        }
        Optional<ProcessHandle> ours = h.filter(ProcessHandle::isAlive)
                .filter(x -> x.info().commandLine().map(c -> c.contains(MAIN)).orElse(false));
        if (ours.isPresent()) {
            ProcessHandle p = ours.get();
            p.destroy();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(STOP_SECONDS));
            while (p.isAlive() && Instant.now().isBefore(deadline)) ListenerProcess.sleep(100);
            if (p.isAlive()) p.destroyForcibly();
            progress.say("stopped the vcr serve an earlier drill left running (pid " + p.pid() + ")");
        }
        Files.deleteIfExists(f);
    }
}
