package org.vcrecovery.vcr.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.recover.Preload;
import org.vcrecovery.vcr.recover.RecoverRun;
import org.vcrecovery.vcr.Names;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vcr serve}: one warm JVM that runs the {@code vcr recover} commands Zabbix actions start,
 * so a recovery does not wait for a JVM to start and load its classes (a fresh {@code vcr
 * recover} is ~220 ms on a 2-core box, most of it start-up). {@code bin/vcr recover} finds the
 * server through the address file and hands it the command line; when there is no server, or
 * it answers {@code fallback}, bin/vcr runs the command itself, as before. See
 * {@link ServeProtocol} for the exchange and {@link ServeServer} for what is served.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Keep one warm JVM for `vcr recover`: bin/vcr hands its recover command lines to it (a recovery then skips"
                + " the JVM's start-up) and runs them itself whenever no server answers.",
            "Listens on loopback only; the address file (mode 0600: address, port and a fresh random token) tells bin/vcr where,"
                + " and only a caller that can read it is served. Run it as the user Zabbix runs vcr as (systemd: vcr-serve.service).",
            "SIGTERM stops accepting, lets the runs in progress finish (up to 2 minutes), removes the address file and exits.",
            "Memory: -Xmx256m (bin/vcr) for up to --max-runs runs. A run that runs out of memory ends with exit 1 and one line, its"
                + " failed step failing safe (DNS moves only after every earlier step passed); the other runs go on (the JVM is not"
                + " killed: a run may have fenced its primary). The server then takes no new runs, lets the others finish and exits 1"
                + " for systemd to restart it; meanwhile bin/vcr runs vcr itself."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "   0  stopped (the JVM's own code after SIGTERM is 143, as for any Java service)",
            "   1  cannot listen or cannot write the address file, or stopped after running out of memory",
            "   2  bad option (an address outside 127.0.0.0/8, --max-runs out of 1..256)"})
public final class ServeCommand implements Callable<Integer> {
    static final Duration DRAIN = Duration.ofMinutes(2);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDRESS:PORT", defaultValue = "127.0.0.1:0",
            description = "Loopback address and port to listen on (default ${DEFAULT-VALUE}: any free port).")
    String listen;

    @Option(names = "--address-file", paramLabel = "FILE",
            description = "Where to write ADDRESS PORT TOKEN (default: $VCR_SERVE_FILE, else " + "/run/vcrecovery/serve).")
    Path addressFile;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "16",
            description = "Recoveries run at once; beyond that callers run vcr themselves (default ${DEFAULT-VALUE}).")
    int maxRuns;

    @Override
    public Integer call() throws InterruptedException {
        InetSocketAddress wanted = loopback(listen);
        if (maxRuns < 1 || maxRuns > 256) throw new VcrException(ExitCode.USAGE, "--max-runs: " + maxRuns + " is not in 1..256");
        String env = System.getenv("VCR_SERVE_FILE");
        Path file = addressFile != null ? addressFile : env != null && !env.isBlank() ? Path.of(env) : AddressFile.DEFAULT;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);

        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(wanted, 64);
        } catch (IOException e) {
            throw new VcrException(ExitCode.FAILED, "cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = (InetSocketAddress) socket.getLocalSocketAddress();
        ServeServer server = new ServeServer(socket, token.getBytes(java.nio.charset.StandardCharsets.US_ASCII), maxRuns,
                RecoverRun::run, org.vcrecovery.vcr.pool.PoolCommand::execute, System.err, ServeServer.REQUEST_TIMEOUT);
        try {
            AddressFile.write(file, bound, token);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            throw new VcrException(ExitCode.FAILED, "cannot write the address file " + file + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, file, bound, token), "vcr-serve-stop"));
        Preload.start(true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("vcr serve: listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
                + " for vcr recover (address file " + file + ", up to " + maxRuns + " runs at once)");
        out.flush();
        server.serve();
        if (server.outOfMemory()) {
            // Stopped taking runs after an OutOfMemoryError: let the others end, then exit for systemd to restart.
            server.awaitRuns(DRAIN);
            return ExitCode.FAILED.code();
        }
        return ExitCode.OK.code();
    }

    private static void stop(ServeServer server, Path file, InetSocketAddress bound, String token) {
        closeQuietly(server);
        AddressFile.remove(file, bound, token);
        try {
            if (!server.awaitRuns(DRAIN)) System.err.println("vcr serve: runs still in progress after " + DRAIN.toMinutes() + " minutes: stopping anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServeServer server) {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening socket: nothing left to do
        }
    }

    /** {@code ADDRESS:PORT} with ADDRESS an IPv4 literal in 127.0.0.0/8; USAGE otherwise. */
    static InetSocketAddress loopback(String value) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? value : value.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? 0 : Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (!Names.isIpv4(host) || !host.startsWith("127.") || port < 0 || port > 65535) {
            throw new VcrException(ExitCode.USAGE, "--listen: '" + value + "' is not ADDRESS:PORT with an address in 127.0.0.0/8"
                    + " (vcr serve listens on loopback only)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "--listen: " + e.getMessage(), e);
        }
    }
}
