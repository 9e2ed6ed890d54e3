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
import java.util.concurrent.TimeUnit;

/**
 * A real {@code zabbix_agentd} (the machine's, as the sandbox installs it) in the foreground on a
 * free loopback port (in 21000-32767), configured with the minimum to start it here (Server=127.0.0.1, its port,
 * its own pid and log files; AllowRoot=1, since the tests run as root and the agent would
 * otherwise switch to the zabbix user) plus one {@code Include} of the snippet under test.
 * Asked with the real {@code zabbix_get}, as the server would ask it. {@link #close} stops it.
 */
final class AgentDaemon implements AutoCloseable {
    static final String NOT_SUPPORTED = "ZBX_NOTSUPPORTED: Unsupported item key.";

    final int port;
    final Path log;
    private final Process process;

    private AgentDaemon(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts an agent that includes {@code snippet} and nothing else; returns once it answers. */
    static AgentDaemon start(Path dir, Path snippet) throws Exception {
        int port = freePort();
        Path conf = dir.resolve("zabbix_agentd.conf");
        Path log = dir.resolve("zabbix_agentd.log");
        Files.writeString(conf, """
                Server=127.0.0.1
                ListenIP=127.0.0.1
                ListenPort=%d
                PidFile=%s
                LogType=file
                LogFile=%s
                AllowRoot=1
                Include=%s
                """.formatted(port, dir.resolve("zabbix_agentd.pid"), log, snippet));
        Path out = dir.resolve("zabbix_agentd.out");
        Process p = new ProcessBuilder("zabbix_agentd", "-f", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        AgentDaemon a = new AgentDaemon(port, log, p);
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(p.isAlive()).as("zabbix_agentd running: %s%s", Files.readString(out),
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
        Process p = new ProcessBuilder("zabbix_get", "-s", "127.0.0.1", "-p", Integer.toString(port), "-t", "30", "-k", key)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("zabbix_get " + key).isTrue();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
