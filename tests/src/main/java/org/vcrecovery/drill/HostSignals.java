package org.vcrecovery.drill;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

/**
 * The two signals the KVM template's fast host-down trigger watches, for the drill's KVM host:
 * its sshd (a TCP port the drill opens on the host's address, {@value #ADDRESS}:{@value #PORT},
 * which the Zabbix server checks every second) and its vcrecovery listener (a real
 * vcr-trap-listener sending as the host, its self-monitoring, heartbeat included, every second).
 * {@link #kill} is the host dying: the listener SIGKILLed, the port closed.
 */
final class HostSignals implements AutoCloseable {
    static final String ADDRESS = "127.0.40.1";
    static final int PORT = 2222;

    private final ListenerProcess listener;
    private final List<String> args;
    private volatile ServerSocket sshd;

    HostSignals(Path dir, Launchers launchers, Env env, String kvmHost) throws IOException {
        this.listener = new ListenerProcess(dir.resolve("hd-listener"), launchers.listener());
        Path config = dir.resolve("hd-listener/trap-listener.yaml");
        Drill.write(config, "snmp:\n  communities: [hd-" + java.util.UUID.randomUUID() + "]\n  sources: [127.0.0.1]\n"
                + "hosts:\n  self: " + kvmHost + "\nself-monitoring:\n  interval: 1s\n", "rw-------");
        this.args = Drill.list("--config", config.toString(), "--snmp-listen", "127.0.0.1:" + (env.address("ZABBIX_TRAPPER").getPort() + 112),
                "--zabbix", env.get("ZABBIX_TRAPPER"), "--default-host", kvmHost, "--spool", dir.resolve("hd-listener/spool").toString());
    }

    /** The host alive: its port open, its listener running (started afresh when it is not). */
    void up(Progress progress) throws IOException {
        openPort();
        if (listener.running().isEmpty()) listener.ensure(args, false, progress);
    }

    void openPort() throws IOException {
        if (sshd != null && !sshd.isClosed()) return;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), PORT));
        sshd = s;
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write("SSH-2.0-hd-kvm\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed: the host is down
                }
            }
        }, "hd-sshd");
        t.setDaemon(true);
        t.start();
    }

    void closePort() {
        try {
            if (sshd != null) sshd.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    /** Freezes the listener (SIGSTOP) for {@code millis}: it sends nothing meanwhile, then goes on. */
    void pauseListener(long millis) throws IOException {
        long pid = listener.running().orElseThrow(() -> new DrillException(1, "the KVM host's listener is not running"));
        Sh.must(5, "kill", "-STOP", Long.toString(pid));
        try {
            ListenerProcess.sleep(millis);
        } finally {
            Sh.run(5, "kill", "-CONT", Long.toString(pid));
        }
    }

    /** The host dies: listener SIGKILLed (nothing flushed), port closed. */
    void kill() throws IOException {
        listener.running().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        closePort();
    }

    Path log() {
        return listener.log();
    }

    @Override
    public void close() {
        closePort();
    }
}
