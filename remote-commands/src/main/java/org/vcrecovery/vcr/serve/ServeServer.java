package org.vcrecovery.vcr.serve;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.recover.RecoverCommand;
import org.vcrecovery.vcr.recover.RecoverLine;

/**
 * The accept loop of {@code vcr serve}: one thread per connection (at most 4 x {@code maxRuns}
 * connections, more are closed at once), at most {@code maxRuns} runs at once. A request it cannot run exactly as a fresh {@code vcr recover} would (another
 * command, a line picocli must read, a relative path, a busy server) is answered
 * {@code fallback} before anything happens, and the client runs vcr itself: the server only
 * ever makes a recovery faster, never different.
 *
 * <p>A run that started is never abandoned: a client that hangs up does not stop it, and
 * {@link #close} stops accepting but {@link #awaitRuns} lets the runs in progress finish.
 */
final class ServeServer implements AutoCloseable {
    /** Runs one recover command as {@code vcr recover} would, printing on {@code out}/{@code err}; returns its exit code. */
    interface Runner {
        int run(RecoverCommand command, PrintWriter out, PrintWriter err);
    }

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket socket;
    private final byte[] token;
    private final int maxRuns;
    private final Semaphore slots;
    private final Semaphore connections;
    private final Runner runner;
    private final PrintStream log;

    ServeServer(ServerSocket socket, byte[] token, int maxRuns, Runner runner, PrintStream log) {
        this.socket = socket;
        this.token = token.clone();
        this.maxRuns = maxRuns;
        this.slots = new Semaphore(maxRuns);
        this.connections = new Semaphore(4 * maxRuns);
        this.runner = runner;
        this.log = log;
    }

    /** Accepts connections until {@link #close}. */
    void serve() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (socket.isClosed()) return;
                log.println("vcr serve: accept failed: " + e.getMessage());
                continue;
            }
            if (!connections.tryAcquire()) {
                // A flood of connections: the caller's read fails and it runs vcr itself.
                closeQuietly(s);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    handle(s);
                } finally {
                    connections.release();
                }
            }, "vcr-serve-" + s.getPort());
            t.start();
        }
    }

    private void handle(Socket s) {
        try (s) {
            s.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            ServeProtocol.Request r = ServeProtocol.read(in, token);
            if (r.refused() != null) {
                log.println("vcr serve: refused a request from port " + s.getPort() + ": " + r.refused());
                ServeProtocol.say(out, r.refused().equals("denied") ? "denied" : "fallback " + r.refused());
                return;
            }
            Verdict v = verdict(r.args(), r.env());
            if (v.fallback() != null) {
                ServeProtocol.say(out, "fallback " + v.fallback());
                return;
            }
            if (!slots.tryAcquire()) {
                ServeProtocol.say(out, "fallback busy (" + maxRuns + " runs in progress)");
                return;
            }
            try {
                run(out, r, v.command());
            } finally {
                slots.release();
            }
        } catch (IOException e) {
            log.println("vcr serve: connection from port " + s.getPort() + ": " + e.getMessage());
        }
    }

    private void run(OutputStream out, ServeProtocol.Request r, RecoverCommand command) throws IOException {
        ServeProtocol.say(out, "accepted");
        StringWriter o = new StringWriter();
        StderrFrames e = new StderrFrames(out);
        long start = System.nanoTime();
        int exit;
        try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
            exit = runner.run(command, po, pe);
        }
        log.println("vcr serve: vcr " + String.join(" ", r.args()) + " -> exit " + exit + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        if (e.callerGone()) {
            log.println("vcr serve: the caller left before the result (exit " + exit + ")");
            return;
        }
        try {
            synchronized (out) {
                ServeProtocol.done(out, exit, o.toString());
            }
        } catch (SocketException gone) {
            log.println("vcr serve: the caller left before the result (exit " + exit + "): " + gone.getMessage());
        }
    }

    /**
     * The run's stderr, sent to the caller at each flush (vcr flushes its progress lines), so a
     * slow step's "still running" shows while it runs. A caller that left only stops the frames:
     * the run goes on.
     */
    private static final class StderrFrames extends java.io.Writer {
        private final OutputStream socket;
        private final StringBuilder pending = new StringBuilder();
        private boolean gone;

        StderrFrames(OutputStream socket) {
            this.socket = socket;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            pending.append(buf, off, len);
        }

        @Override
        public synchronized void flush() {
            if (pending.length() == 0 || gone) return;
            try {
                synchronized (socket) {
                    ServeProtocol.err(socket, pending.toString());
                }
            } catch (IOException e) {
                gone = true;
            }
            pending.setLength(0);
        }

        @Override
        public void close() {
            flush();
        }

        synchronized boolean callerGone() {
            return gone;
        }
    }

    /** The command to run here, or why it cannot be (the caller then runs vcr itself). */
    record Verdict(RecoverCommand command, String fallback) {}

    /**
     * The command {@code args} with {@code env} name when it runs here exactly as in a fresh process
     * of the caller's: only plain {@code recover} lines, with absolute paths (this process has
     * another working directory); else the reason it does not.
     */
    static Verdict verdict(List<String> args, Map<String, String> env) {
        if (args.isEmpty() || !args.get(0).equals("recover")) return new Verdict(null, "only vcr recover is served");
        RecoverCommand command = RecoverLine.parse(args.subList(1, args.size()).toArray(String[]::new));
        if (command == null) return new Verdict(null, "not a plain recover line");
        if (!command.independentOfWorkingDirectory()) return new Verdict(null, "a relative path on the command line");
        for (String v : env.values()) {
            if (!v.isBlank() && !v.startsWith("/")) return new Verdict(null, "a relative path in the environment");
        }
        return new Verdict(command.environment(env), null);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // refusing a connection: nothing left to do
        }
    }

    /** Stops accepting; runs in progress go on. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Waits up to {@code limit} for the runs in progress to end; true when none is left. */
    boolean awaitRuns(Duration limit) throws InterruptedException {
        if (!slots.tryAcquire(maxRuns, limit.toMillis(), TimeUnit.MILLISECONDS)) return false;
        slots.release(maxRuns);
        return true;
    }
}
