package org.vcrecovery.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcrecovery.it.Sandbox;

/**
 * A real Zabbix agent of the sandbox's version ({@code zabbix_agentd} or {@code zabbix_agent2},
 * unpacked by {@code tests/env}, see {@link Flavour}) in the foreground on a free loopback port
 * (in 21000-32767), configured with the minimum to start it here (Server=127.0.0.1, its port,
 * its own pid, log and control-socket files; the classic agent also AllowRoot=1, since the tests
 * run as root and it would otherwise switch to the zabbix user) plus one {@code Include} of the
 * snippet under test. Asked with the sandbox's {@code zabbix_get}, as the server would ask it.
 * {@link #close} stops it.
 */
public final class AgentDaemon implements AutoCloseable {
    /** Which agent runs the snippet: each has its own binary, snippet, refusal and audit-log line. */
    public enum Flavour {
        AGENTD(Sandbox.ZABBIX_AGENTD_BIN, "zabbix_agentd.d", "vcr.agent.snippet",
                "ZBX_NOTSUPPORTED: Unsupported item key.", "AllowRoot=1\n", List.of("-f")),
        AGENT2(Sandbox.ZABBIX_AGENT2_BIN, "zabbix_agent2.d", "vcr.agent2.snippet",
                "ZBX_NOTSUPPORTED: Unknown metric system.run", "ControlSocket=%s\n", List.of());

        final String binaryKey;
        final String snippetDir;
        final String snippetProperty;
        /** What the agent answers for a system.run key its rules deny. */
        final String refused;
        final String extraConf;
        final List<String> args;

        Flavour(String binaryKey, String snippetDir, String snippetProperty, String refused, String extraConf, List<String> args) {
            this.binaryKey = binaryKey;
            this.snippetDir = snippetDir;
            this.snippetProperty = snippetProperty;
            this.refused = refused;
            this.extraConf = extraConf;
            this.args = args;
        }

        /** The shipped snippet, or the file {@code -Dvcr.agent.snippet} / {@code -Dvcr.agent2.snippet} names. */
        public Path snippet() {
            String given = System.getProperty(snippetProperty);
            if (given != null && !given.isBlank()) return Path.of(given);
            return Path.of(System.getProperty("vcr.repo", "..")).toAbsolutePath().normalize()
                    .resolve("recovery-scripts/agent").resolve(snippetDir).resolve("vcrecovery.conf");
        }
    }

    /** The command an agent's log says it executed: classic "Executing command '...'", agent 2 "Executing command:'...'". */
    static final Pattern EXECUTED = Pattern.compile("Executing command:? ?'(.*)'$", Pattern.MULTILINE);

    final Flavour flavour;
    public final int port;
    final Path log;
    private final Process process;

    private AgentDaemon(Flavour flavour, int port, Path log, Process process) {
        this.flavour = flavour;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts an agent of {@code flavour} that includes {@code snippet} and nothing else; returns once it answers. */
    public static AgentDaemon start(Flavour flavour, Path dir, Path snippet) throws Exception {
        int port = freePort();
        Path conf = dir.resolve("agent.conf");
        Path log = dir.resolve("agent.log");
        Files.writeString(conf, """
                Server=127.0.0.1
                ListenIP=127.0.0.1
                ListenPort=%d
                PidFile=%s
                LogType=file
                LogFile=%s
                """.formatted(port, dir.resolve("agent.pid"), log)
                + flavour.extraConf.formatted(dir.resolve("agent.sock"))
                + "Include=" + snippet + "\n");
        Path out = dir.resolve("agent.out");
        List<String> cmd = new ArrayList<>(List.of(Sandbox.get().value(flavour.binaryKey), "-c", conf.toString()));
        cmd.addAll(flavour.args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        AgentDaemon a = new AgentDaemon(flavour, port, log, p);
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(p.isAlive()).as("%s running: %s%s", cmd.get(0), Files.readString(out),
                        Files.exists(log) ? Files.readString(log) : "").isTrue();
                return a.get("agent.ping").equals("1");
            });
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
        return a;
    }

    /** A port free now in the agent's ListenPort range (1024-32767; ephemeral ports lie above it). */
    private static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            int candidate = java.util.concurrent.ThreadLocalRandom.current().nextInt(21000, 32768);
            try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getByName("127.0.0.1"))) {
                return s.getLocalPort();
            } catch (IOException busy) {
                // taken: try another
            }
        }
        throw new IOException("no free port in 21000-32767 on 127.0.0.1");
    }

    /** The agent's answer to {@code key}, as zabbix_get prints it (trimmed). */
    String get(String key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Sandbox.get().value(Sandbox.ZABBIX_GET), "-s", "127.0.0.1", "-p", Integer.toString(port),
                "-t", "30", "-k", key).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("zabbix_get " + key).isTrue();
        return out;
    }

    /** The commands this agent's log says it executed (the snippets turn that logging on). */
    public List<String> executed() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(log)) return out;
        Matcher m = EXECUTED.matcher(Files.readString(log));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
