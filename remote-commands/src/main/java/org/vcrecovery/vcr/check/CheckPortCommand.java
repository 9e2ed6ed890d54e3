package org.vcrecovery.vcr.check;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vcr check-port}: checks one service endpoint once, or until it answers within a wait.
 *
 * <p>Prints one line (or one JSON object with {@code --json}) on stdout in both outcomes; exits
 * {@link ExitCode#OK} when up, {@link ExitCode#SERVICE_DOWN} when down, {@link ExitCode#USAGE}
 * for bad input (nothing is contacted then). Every argument may come from a Zabbix macro, so
 * each is validated: the host must be an IP literal or an RFC 1123 host name.
 */
@Command(name = "check-port",
        mixinStandardHelpOptions = true,
        description = {"Check that a service answers on host:port, with its protocol's greeting.",
            "Up: tcp connects; http answers HEAD / with a 1xx-4xx status (5xx is down); smtp and ftp greet with 220;"
                + " ssh identifies as SSH-2.0- (or SSH-1.99-)."},
        footerHeading = "%nExit codes:%n",
        footer = {"   0  up", "   2  bad input (nothing contacted)", "   7  down (the line says what was seen)"})
public final class CheckPortCommand implements Callable<Integer> {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

    @Option(names = "--host", required = true, description = "IP address or host name of the service.")
    String host;

    @Option(names = "--port", required = true, description = "TCP port, 1-65535.")
    int port;

    @Option(names = "--protocol", defaultValue = "tcp", description = "The service's protocol: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ProtocolLabels.class)
    String protocol;

    @Option(names = "--timeout-ms", defaultValue = "1000",
            description = "Time for one attempt: connect and greeting, 1-600000 (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--wait-ms", defaultValue = "0",
            description = "Keep retrying (every 25 ms) until up or this much time has passed, 0-3600000 (default: ${DEFAULT-VALUE}: one attempt).")
    long waitMs;

    @Option(names = "--json", description = "Print one JSON object instead of a line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final Duration RETRY_INTERVAL = Duration.ofMillis(25);

    @Override
    public Integer call() {
        Protocol p;
        try {
            p = Protocol.parse(protocol);
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, "--protocol: " + e.getMessage());
        }
        if (port < 1 || port > 65535) throw new VcrException(ExitCode.USAGE, "--port must be 1-65535, got " + port);
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            throw new VcrException(ExitCode.USAGE, "--timeout-ms must be 1-600000, got " + timeoutMs);
        }
        if (waitMs < 0 || waitMs > 3_600_000) throw new VcrException(ExitCode.USAGE, "--wait-ms must be 0-3600000, got " + waitMs);
        InetSocketAddress address = resolve(host, port);

        ServiceChecker checker = new ServiceChecker();
        CheckResult r = waitMs == 0
                ? checker.check(address, p, Duration.ofMillis(timeoutMs))
                : checker.checkUntil(address, p, Duration.ofMillis(timeoutMs), Instant.now().plusMillis(waitMs), RETRY_INTERVAL);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? r.toJson() : r.summary());
        out.flush();
        return r.up() ? ExitCode.OK.code() : ExitCode.SERVICE_DOWN.code();
    }

    /** Validates {@code host} (IP literal or host name) and builds the address; an unknown name gives an unresolved one. */
    static InetSocketAddress resolve(String host, int port) {
        String h = host == null ? "" : host;
        boolean literal = IPV4.matcher(h).matches() || IPV6.matcher(h).matches();
        if (!literal && !HOSTNAME.matcher(h).matches()) {
            throw new VcrException(ExitCode.USAGE, "--host must be an IP address or a host name, got '"
                    + ServiceChecker.printable(h) + "'");
        }
        if (literal) {
            String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            if (IPV4.matcher(bare).matches()) {
                for (String octet : bare.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new VcrException(ExitCode.USAGE, "--host: '" + h + "' is not a valid IPv4 address");
                    }
                }
            }
            try {
                // A literal never triggers a DNS lookup.
                return new InetSocketAddress(InetAddress.getByName(bare), port);
            } catch (UnknownHostException e) {
                throw new VcrException(ExitCode.USAGE, "--host: '" + h + "' is not a valid IP address");
            }
        }
        return new InetSocketAddress(h, port); // unresolved when the name does not resolve: reported as down
    }

    /** The protocols' labels, for the help text. */
    static final class ProtocolLabels implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Protocol.byLabel().keySet().iterator();
        }
    }
}
