package org.vcrecovery.vcr.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import picocli.CommandLine.Option;

/**
 * The options saying where and how to talk DNS, shared by {@code dns set} and {@code dns get}.
 * Every problem becomes a {@link VcrException} ({@link ExitCode#USAGE} for bad input) before
 * anything is sent.
 */
final class DnsConnectionOptions {
    @Option(names = "--server", paramLabel = "HOST[:PORT]",
            description = "Authoritative server to update/query (default: the zone's primary from its SOA MNAME, port 53). IPv6: [ADDR]:PORT.")
    String server;

    @Option(names = "--tsig-file", paramLabel = "FILE",
            description = "BIND key file (tsig-keygen output) to sign with; must be readable by its owner only (chmod 600).")
    Path tsigFile;

    @Option(names = "--timeout-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Wait per attempt (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--retries", defaultValue = "2", paramLabel = "N",
            description = "Retries after a timeout, 0..10 (default: ${DEFAULT-VALUE}).")
    int retries;

    /** The key, or null when no --tsig-file was given. */
    TsigKey key() {
        if (tsigFile == null) return null;
        try {
            return TsigKey.fromFile(tsigFile);
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, e.getMessage());
        } catch (NoSuchFileException e) {
            throw new VcrException(ExitCode.USAGE, "tsig key file " + tsigFile + " does not exist");
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot read tsig key file " + tsigFile + ": " + e.getMessage());
        }
    }

    DnsUpdater updater(TsigKey key) {
        try {
            return DnsUpdater.builder()
                    .server(serverAddress())
                    .tsigKey(key)
                    .timeout(Duration.ofMillis(timeoutMs))
                    .retries(retries)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, e.getMessage());
        }
    }

    /** --server as a resolved address, or null. Literal addresses involve no lookup. */
    InetSocketAddress serverAddress() {
        if (server == null) return null;
        HostPort hp = HostPort.parse(server);
        try {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        } catch (UnknownHostException e) {
            throw new VcrException(ExitCode.UNREACHABLE, "server: cannot resolve " + hp.host());
        }
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 literal. */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            String t = text.trim();
            String host = t;
            String port = null;
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) throw usage(text, "missing ']'");
                host = t.substring(1, end);
                String rest = t.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) throw usage(text, "expected :PORT after ]");
                    port = rest.substring(1);
                }
            } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
                host = t.substring(0, t.indexOf(':'));
                port = t.substring(t.indexOf(':') + 1);
            }
            if (host.isEmpty()) throw usage(text, "no host");
            int p = 53;
            if (port != null) {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw usage(text, "port " + port + " is not a number");
                }
                if (p < 1 || p > 65535) throw usage(text, "port " + p + " is outside 1..65535");
            }
            return new HostPort(host, p);
        }

        private static VcrException usage(String text, String why) {
            return new VcrException(ExitCode.USAGE, "server: " + text + " is not HOST[:PORT] (" + why + ")");
        }
    }
}
