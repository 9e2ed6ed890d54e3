package org.vcrecovery.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code vcr-trap-listener} run by the drill as a background process of its own session
 * ({@code setsid}), its pid in {@code listener.pid} and its arguments in {@code listener.args}: a
 * listener left running by an earlier drill with the same arguments is reused, one with other
 * arguments is stopped first. It logs to {@code listener.log} with millisecond timestamps.
 */
final class ListenerProcess {
    private static final String MAIN = "org.vcrecovery.listener.TrapListener";

    private final Path dir;
    private final Path launcher;

    ListenerProcess(Path dir, Path launcher) {
        this.dir = dir;
        this.launcher = launcher;
    }

    Path log() {
        return dir.resolve("listener.log");
    }

    /** Starts the listener with {@code args} (stopping ours if it runs) and waits until it is ready. */
    void ensure(List<String> args, boolean libvirt, Progress progress) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("spool"));
        String want = String.join("\n", args);
        Path argsFile = dir.resolve("listener.args");
        // A listener left by an earlier drill may be in a reconnect back-off after libvirtd
        // restarted, or run with other flags: a fresh one costs two seconds and is never stale.
        stop(progress);
        Files.writeString(dir.resolve("conf/logback.xml"), """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.snmp4j" level="WARN"/>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """);
        List<String> cmd = new ArrayList<>(List.of("setsid", launcher.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log().toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("VCR_CONF_DIR", dir.resolve("conf").toString());
        Process p = pb.start();
        Files.writeString(dir.resolve("listener.pid"), Long.toString(p.pid()));
        Files.writeString(argsFile, want);
        progress.say("listener started (pid " + p.pid() + ", log " + log() + ")");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
        String need = libvirt ? "libvirt: connected" : "started:";
        while (!Files.readString(log(), StandardCharsets.UTF_8).contains(need)) {
            if (!p.isAlive()) throw new DrillException(1, "vcr-trap-listener exited " + p.exitValue() + ": " + tail());
            if (Instant.now().isAfter(deadline)) throw new DrillException(1, "vcr-trap-listener not ready after 40 s: " + tail());
            sleep(100);
        }
    }

    /** The pid of our listener if it still runs. */
    Optional<Long> running() throws IOException {
        Path f = dir.resolve("listener.pid");
        if (!Files.exists(f)) return Optional.empty();
        long pid;
        try {
            pid = Long.parseLong(Files.readString(f).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(MAIN)).orElse(false)).map(ProcessHandle::pid);
    }

    /** Stops our listener (SIGTERM, then SIGKILL after 10 s) if it runs. */
    void stop(Progress progress) throws IOException {
        Optional<Long> pid = running();
        if (pid.isEmpty()) return;
        ProcessHandle h = ProcessHandle.of(pid.get()).orElseThrow();
        h.destroy();
        Instant deadline = Instant.now().plusSeconds(10);
        while (h.isAlive() && Instant.now().isBefore(deadline)) sleep(100);
        if (h.isAlive()) h.destroyForcibly();
        Files.deleteIfExists(dir.resolve("listener.pid"));
        progress.say("listener stopped (pid " + pid.get() + ")");
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log());
        return Sh.oneLine(String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrillException(130, "interrupted");
        }
    }
}
