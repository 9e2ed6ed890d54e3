package org.vcrecovery.vcr.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Proves that a service answers on its port: a TCP connect, then the protocol's first words.
 *
 * <p>What counts as up, per {@link Protocol}:
 * <ul>
 *   <li>TCP: the connect succeeds.</li>
 *   <li>HTTP: after {@code HEAD / HTTP/1.0} (with a {@code Host} header), the first line is
 *       {@code HTTP/1.x NNN}. Statuses 1xx-4xx are up: the server is running and speaking HTTP
 *       (a 401, 403 or 404 on {@code /} is a content question, not a liveness one); 5xx is down,
 *       with the status line as the detail.</li>
 *   <li>SMTP and FTP: the greeting line starts with {@code 220} (single- or multi-line).</li>
 *   <li>SSH: the identification line starts with {@code SSH-2.0-} or {@code SSH-1.99-}; up to
 *       {@value #MAX_SSH_PREAMBLE_LINES} other lines before it are skipped (RFC 4253, 4.2).</li>
 * </ul>
 * Everything else is down with a detail that says what was seen: refused, timed out, reset,
 * closed, silence, a wrong greeting (quoted, made printable, at most 200 characters), or a line
 * longer than {@value #MAX_LINE} bytes. Reads are bounded in size and by the attempt's deadline.
 *
 * <p>This class never throws for a network outcome: every failure is a down {@link CheckResult}.
 * It is stateless and thread-safe. It uses only the JDK (it runs on the hot path of a fresh
 * {@code vcr} process).
 */
public final class ServiceChecker {
    /** The longest line read from a peer, in bytes. */
    public static final int MAX_LINE = 1024;
    /** How many non-identification lines an SSH server may send before its version line. */
    public static final int MAX_SSH_PREAMBLE_LINES = 8;
    private static final int MAX_DETAIL = 200;

    public ServiceChecker() {
    }

    /**
     * One attempt: connect and speak {@code protocol}, all within {@code timeout}.
     *
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public CheckResult check(InetSocketAddress address, Protocol protocol, Duration timeout) {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(protocol, "protocol == null");
        requirePositive(timeout, "timeout");
        long start = System.nanoTime();
        Outcome o = attempt(address, protocol, start + timeout.toNanos());
        return new CheckResult(o.up, protocol, endpoint(address), o.detail, elapsedMillis(start), 1);
    }

    /**
     * Attempts until the service is up or {@code deadline} passes, waiting {@code retryInterval}
     * between attempts; each attempt gets at most {@code perAttemptTimeout} and never runs past
     * the deadline. Returns the first up result, or the last down one (its detail is the last
     * attempt's, its millis the whole wait). At least one attempt is made even when the
     * deadline has already passed. An interrupt ends the wait with a down result and keeps the
     * thread's interrupt flag set.
     */
    public CheckResult checkUntil(InetSocketAddress address, Protocol protocol, Duration perAttemptTimeout,
                                  Instant deadline, Duration retryInterval) {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(protocol, "protocol == null");
        Objects.requireNonNull(deadline, "deadline == null");
        requirePositive(perAttemptTimeout, "perAttemptTimeout");
        Objects.requireNonNull(retryInterval, "retryInterval == null");
        if (retryInterval.isNegative()) throw new IllegalArgumentException("retryInterval < 0: " + retryInterval);

        long start = System.nanoTime();
        // Convert the wall-clock deadline to the monotonic clock once.
        long deadlineNanos = start + Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        int attempts = 0;
        Outcome o = null;
        while (true) {
            attempts++;
            long now = System.nanoTime();
            long attemptEnd = Math.min(now + perAttemptTimeout.toNanos(), Math.max(deadlineNanos, now + 1_000_000));
            Outcome previous = o;
            o = attempt(address, protocol, attemptEnd);
            if (o.up) break;
            // An attempt the deadline cut short says only that time ran out: the full attempt before it says why.
            if (previous != null && attemptEnd < now + perAttemptTimeout.toNanos() && System.nanoTime() >= attemptEnd) o = previous;
            long wakeAt = System.nanoTime() + retryInterval.toNanos();
            if (wakeAt >= deadlineNanos) break;
            try {
                long sleep = wakeAt - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                o = new Outcome(false, "interrupted while waiting; last attempt: " + o.detail);
                break;
            }
        }
        return new CheckResult(o.up, protocol, endpoint(address), o.detail, elapsedMillis(start), attempts);
    }

    /** {@code ip:port} (IPv6 in brackets), or {@code name:port} for an address that did not resolve. */
    public static String endpoint(InetSocketAddress address) {
        // The IP actually checked when resolved; the name as given otherwise.
        String host = address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private record Outcome(boolean up, String detail) {
    }

    private static Outcome attempt(InetSocketAddress address, Protocol protocol, long endNanos) {
        if (address.isUnresolved()) {
            return new Outcome(false, "cannot resolve host '" + printable(address.getHostString()) + "'");
        }
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            try {
                socket.connect(address, remainingMillis(endNanos));
            } catch (SocketTimeoutException e) {
                return new Outcome(false, "connect timed out");
            } catch (ConnectException e) {
                String m = String.valueOf(e.getMessage());
                return new Outcome(false, m.toLowerCase().contains("refused") ? "connection refused" : "cannot connect: " + m);
            } catch (NoRouteToHostException e) {
                return new Outcome(false, "no route to host");
            }
            if (protocol == Protocol.TCP) return new Outcome(true, "connected");
            return converse(socket, address, protocol, endNanos);
        } catch (SocketTimeoutException e) {
            return new Outcome(false, "no answer within the timeout (" + protocol.label() + " peer silent)");
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.toLowerCase().contains("reset")) return new Outcome(false, "connection reset by peer");
            return new Outcome(false, "socket error: " + m);
        } catch (IOException e) {
            return new Outcome(false, "I/O error: " + e);
        }
    }

    private static Outcome converse(Socket socket, InetSocketAddress address, Protocol protocol, long endNanos)
            throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        switch (protocol) {
            case HTTP -> {
                String host = address.getHostString();
                if (host.indexOf(':') >= 0) host = "[" + host + "]";
                out.write(("HEAD / HTTP/1.0\r\nHost: " + host + ":" + address.getPort()
                        + "\r\nUser-Agent: vcr-check\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Line line = readLine(socket, in, endNanos);
                if (line.problem != null) return new Outcome(false, line.problem + " (expected an HTTP status line)");
                return httpStatus(line.text);
            }
            case SMTP, FTP -> {
                Line line = readLine(socket, in, endNanos);
                if (line.problem != null) return new Outcome(false, line.problem + " (expected a " + protocol + " 220 greeting)");
                if (line.text.startsWith("220")) {
                    quietly(out, "QUIT\r\n");
                    return new Outcome(true, printable(line.text));
                }
                return new Outcome(false, "expected " + protocol + " 220 greeting, got: " + quoted(line.text));
            }
            case SSH -> {
                String first = null;
                for (int i = 0; i <= MAX_SSH_PREAMBLE_LINES; i++) {
                    Line line = readLine(socket, in, endNanos);
                    if (line.problem != null) {
                        return new Outcome(false, first == null ? line.problem + " (expected an SSH identification line)"
                                : "expected SSH-2.0- identification, got: " + quoted(first) + ", then " + line.problem);
                    }
                    if (line.text.startsWith("SSH-2.0-") || line.text.startsWith("SSH-1.99-")) {
                        return new Outcome(true, printable(line.text));
                    }
                    if (line.text.startsWith("SSH-")) {
                        return new Outcome(false, "unsupported SSH version: " + quoted(line.text));
                    }
                    // A reply-code greeting (SMTP, FTP) or binary junk is not an SSH preamble: fail now.
                    if (i == 0 && (!isText(line.text) || line.text.matches("\\d{3}([ -].*)?"))) {
                        return new Outcome(false, "expected SSH-2.0- identification, got: " + quoted(line.text));
                    }
                    if (first == null) first = line.text;
                }
                return new Outcome(false, "no SSH identification within " + (MAX_SSH_PREAMBLE_LINES + 1)
                        + " lines, first: " + quoted(first));
            }
            default -> throw new IllegalStateException("unhandled protocol " + protocol);
        }
    }

    private static Outcome httpStatus(String line) {
        // HTTP/1.0 200 OK  |  HTTP/1.1 503 Service Unavailable
        if (line.length() >= 12 && line.startsWith("HTTP/1.") && Character.isDigit(line.charAt(7))
                && line.charAt(8) == ' ' && allDigits(line, 9, 12) && (line.length() == 12 || line.charAt(12) == ' ')) {
            int status = Integer.parseInt(line.substring(9, 12));
            if (status >= 100 && status < 500) return new Outcome(true, printable(line));
            if (status >= 500 && status < 600) return new Outcome(false, "HTTP server error: " + printable(line));
        }
        return new Outcome(false, "expected an HTTP/1.x status line, got: " + quoted(line));
    }

    private record Line(String text, String problem) {
    }

    /** Reads one line (without CR LF), at most MAX_LINE bytes, before endNanos. */
    private static Line readLine(Socket socket, InputStream in, long endNanos) throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        while (true) {
            int left = remainingMillis(endNanos);
            socket.setSoTimeout(left);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return new Line(null, n == 0 ? "no greeting within the timeout (peer accepted and said nothing)"
                        : "incomplete line within the timeout: " + quoted(ascii(buf, n)));
            }
            if (b < 0) {
                if (n == 0) return new Line(null, "connection closed by peer without a word");
                return new Line(trimCr(ascii(buf, n)), null);
            }
            if (b == '\n') return new Line(trimCr(ascii(buf, n)), null);
            if (n == MAX_LINE) {
                return new Line(null, "line longer than " + MAX_LINE + " bytes: " + quoted(ascii(buf, n)));
            }
            buf[n++] = (byte) b;
        }
    }

    private static void quietly(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // Being polite on the way out; the check has already passed.
        }
    }

    private static int remainingMillis(long endNanos) throws SocketTimeoutException {
        long left = (endNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new SocketTimeoutException("deadline passed");
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    private static boolean isText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) return false;
        }
        return true;
    }

    private static String ascii(byte[] buf, int n) {
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String trimCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String quoted(String s) {
        return s.isEmpty() ? "an empty line" : "'" + printable(s) + "'";
    }

    /** At most 200 characters, non-printable ones as '?'. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_DETAIL + 3));
        for (int i = 0; i < s.length() && i < MAX_DETAIL; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > MAX_DETAIL) sb.append("...");
        return sb.toString();
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " == null");
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
