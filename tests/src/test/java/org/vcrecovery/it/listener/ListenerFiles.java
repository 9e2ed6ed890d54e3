package org.vcrecovery.it.listener;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * What the listener end-to-end tests share to run the listener as its own process: its private
 * config and passphrase files (mode 0600, which the listener demands of files with secrets),
 * the command line, and free loopback ports.
 */
final class ListenerFiles {
    private ListenerFiles() {
    }

    /** Writes {@code content} to {@code f} with mode 0600. */
    static Path writePrivate(Path f, String content) throws IOException {
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** The java command line that runs vcr-trap-listener from this test class path. */
    static List<String> command(Path config, Path spool, int snmpPort, String zabbix, String host) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "org.vcrecovery.listener.TrapListener", "--config", config.toString(),
                "--snmp-listen", "127.0.0.1:" + snmpPort, "--zabbix", zabbix, "--default-host", host, "--spool", spool.toString());
    }

    /**
     * Starts a listener process (added to {@code processes} for clean-up), its output in
     * SPOOL-N.log; waits until it logged "started:" or exited, and returns it.
     */
    static Process startListener(List<Process> processes, Path config, Path spool, int snmpPort, String zabbix, String host)
            throws IOException {
        Path log = log(spool, processes.size());
        Process p = new ProcessBuilder(command(config, spool, snmpPort, zabbix, host)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        processes.add(p);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> !p.isAlive() || Files.readString(log).contains("started:"));
        return p;
    }

    /** The output file of the {@code n}-th listener started on {@code spool}. */
    static Path log(Path spool, int n) {
        return spool.resolveSibling(spool.getFileName() + "-" + n + ".log");
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
