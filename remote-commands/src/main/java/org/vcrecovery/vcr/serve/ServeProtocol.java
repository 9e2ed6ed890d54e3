package org.vcrecovery.vcr.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code bin/vcr} and {@code vcr serve} say to each other over one loopback TCP
 * connection; made to be spoken by bash's {@code /dev/tcp} with {@code printf} and {@code read}.
 *
 * <pre>
 * client: vcr-serve/1 TOKEN\n
 *         env VCR_CONFIG=/etc/vcrecovery/vcr.yaml\n      (0..3 lines: VCR_CONFIG, VCR_RUNBOOKS, VCR_STATE_DIR)
 *         argc 7\n
 *         recover\0--event-id\0 ... \0                     (the arguments, each ended by NUL)
 * server: denied\n | fallback REASON\n                    (nothing ran: the client runs vcr itself)
 *       | accepted\n                                       (the run starts now)
 *         err BYTES\n TEXT                                 (0..n times: stderr as the run prints it, progress included)
 *         done EXIT BYTES\n TEXT                           (stdout, and the exit code)
 * </pre>
 *
 * A request that breaks these rules or exceeds the limits ({@value #MAX_LINE} bytes a line,
 * {@value #MAX_ARGS} arguments) is refused as {@link Request#refused}; the token is compared in
 * constant time and never logged. {@code bin/vcr} speaks the client side in bash:
 * ServeConformanceTest runs it against this class through every frame, so change both together.
 */
final class ServeProtocol {
    static final String MAGIC = "vcr-serve/1";
    static final int MAX_LINE = 8192;
    static final int MAX_ARGS = 64;
    static final Set<String> ENVIRONMENT = Set.of("VCR_CONFIG", "VCR_RUNBOOKS", "VCR_STATE_DIR");

    private ServeProtocol() {}

    /**
     * A request as read: its arguments and environment, or why it was refused
     * ({@code refused} non-null: {@code denied} for a wrong token, else a reason).
     */
    record Request(List<String> args, Map<String, String> env, String refused) {
        static Request refuse(String why) {
            return new Request(List.of(), Map.of(), why);
        }
    }

    /** Reads one request from {@code in}; IOException only for the connection itself (EOF, timeout). */
    static Request read(InputStream in, byte[] token) throws IOException {
        String first = line(in);
        if (first == null || !first.startsWith(MAGIC + " ")) return Request.refuse("not a " + MAGIC + " request");
        byte[] given = first.substring(MAGIC.length() + 1).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) return Request.refuse("denied");
        Map<String, String> env = new LinkedHashMap<>();
        String l;
        while ((l = line(in)) != null && l.startsWith("env ")) {
            int eq = l.indexOf('=');
            String key = eq < 0 ? "" : l.substring(4, eq);
            if (!ENVIRONMENT.contains(key) || env.containsKey(key)) return Request.refuse("bad env line");
            env.put(key, l.substring(eq + 1));
        }
        if (l == null || !l.startsWith("argc ")) return Request.refuse("no argc line");
        int argc;
        try {
            argc = Integer.parseInt(l.substring(5));
        } catch (NumberFormatException e) {
            return Request.refuse("bad argc");
        }
        if (argc < 0 || argc > MAX_ARGS) return Request.refuse("argc out of range");
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            String a = until(in, (byte) 0);
            if (a == null) return Request.refuse("fewer arguments than argc");
            args.add(a);
        }
        return new Request(List.copyOf(args), Map.copyOf(env), null);
    }

    /** What the run printed on stderr so far (sent as it prints, so progress shows while it runs). */
    static void err(OutputStream out, String text) throws IOException {
        frame(out, "err", text);
    }

    /** The final answer: the run's exit code and what it printed on stdout. */
    static void done(OutputStream out, int exit, String stdout) throws IOException {
        frame(out, "done " + exit, stdout);
    }

    private static void frame(OutputStream out, String head, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write((head + " " + b.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** A one-line answer ({@code accepted}, {@code denied}, {@code fallback REASON}). */
    static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        return until(in, (byte) '\n');
    }

    /** The bytes up to {@code end} as UTF-8, null at EOF before it; a line over the limit is an IOException. */
    private static String until(InputStream in, byte end) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == end) return b.toString(StandardCharsets.UTF_8);
            if (b.size() == MAX_LINE) throw new IOException("request line over " + MAX_LINE + " bytes");
            b.write(c);
        }
        return null;
    }
}
