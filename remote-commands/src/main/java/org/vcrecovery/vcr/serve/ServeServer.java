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
import org.vcrecovery.vcr.Failure;
import org.vcrecovery.vcr.recover.RecoverRequest;
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
        int run(RecoverRequest request, PrintWriter out, PrintWriter err);
    }

    /** Runs one {@code vcr pool ...} line (arguments after {@code pool}) with the caller's environment; returns its exit code. */
    interface LineRunner {
        int run(List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err);
    }

    /** The whole request (token, environment, arguments) must arrive within this, however it is split into reads. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket socket;
    private final byte[] token;
    private final int maxRuns;
    private final Semaphore slots;
    private final Semaphore connections;
    private final Runner runner;
    private final LineRunner pool;
    private final PrintStream log;
    private final Duration requestTimeout;
    /** OutOfMemoryErrors this JVM had met when the server started: one more and it stops taking runs. */
    private final long outOfMemoryAtStart = Failure.outOfMemory();
    /** Freed at the first OutOfMemoryError, so the runs still in progress have room to finish. */
    private volatile byte[] reserve = new byte[4 << 20];
    private volatile boolean outOfMemory;

    ServeServer(ServerSocket socket, byte[] token, int maxRuns, Runner runner, PrintStream log) {
        this(socket, token, maxRuns, runner, log, REQUEST_TIMEOUT);
    }

    ServeServer(ServerSocket socket, byte[] token, int maxRuns, Runner runner, PrintStream log, Duration requestTimeout) {
        this(socket, token, maxRuns, runner, null, log, requestTimeout);
    }

    /** With {@code pool} (null: none) running the {@code vcr pool} lines {@link #verdict} lets through. */
    ServeServer(ServerSocket socket, byte[] token, int maxRuns, Runner runner, LineRunner pool, PrintStream log, Duration requestTimeout) {
        this.pool = pool;
        this.requestTimeout = requestTimeout;
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
            InputStream in = new BufferedInputStream(new RequestDeadline(s, requestTimeout));
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            ServeProtocol.Request r = ServeProtocol.read(in, token);
            if (r.refused() != null) {
                log.println("vcr serve: refused a request from port " + s.getPort() + ": " + r.refused());
                ServeProtocol.say(out, r.refused().equals("denied") ? "denied" : "fallback " + r.refused());
                return;
            }
            Verdict v = verdict(r.args(), r.env());
            if (v.poolArgs() != null && pool == null) v = new Verdict(null, null, "vcr pool is not served here");
            if (v.fallback() != null) {
                ServeProtocol.say(out, "fallback " + v.fallback());
                return;
            }
            if (outOfMemory) {
                ServeProtocol.say(out, "fallback out of memory: stopping");
                return;
            }
            if (!slots.tryAcquire()) {
                ServeProtocol.say(out, "fallback busy (" + maxRuns + " runs in progress)");
                return;
            }
            run(out, r, v);
        } catch (IOException e) {
            log.println("vcr serve: connection from port " + s.getPort() + ": " + e.getMessage());
        }
    }

    /** Runs the command holding a slot (taken by the caller), released before the result goes out. */
    private void run(OutputStream out, ServeProtocol.Request r, Verdict v) throws IOException {
        StringWriter o = new StringWriter();
        StderrFrames e = new StderrFrames(out);
        long start = System.nanoTime();
        int exit;
        try {
            ServeProtocol.say(out, "accepted");
            try (PrintWriter po = new PrintWriter(o); PrintWriter pe = new PrintWriter(e)) {
                try {
                    exit = v.command() != null ? runner.run(v.command(), po, pe) : pool.run(v.poolArgs(), r.env(), po, pe);
                } catch (Throwable t) {
                    // One run's failure, out of memory included, ends that run only: never the server.
                    exit = Failure.exitCode(t, pe, false);
                }
            }
        } finally {
            slots.release();
            checkMemory();
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
     * After an OutOfMemoryError anywhere in this JVM: free the reserve, stop accepting (bin/vcr
     * then runs vcr itself), let the runs in progress finish. {@code vcr serve} then exits 1.
     */
    private void checkMemory() {
        if (Failure.outOfMemory() == outOfMemoryAtStart || outOfMemory) return;
        synchronized (this) {
            if (outOfMemory) return;
            outOfMemory = true;
            reserve = null;
        }
        log.println("vcr serve: out of memory: no new runs (bin/vcr runs them itself); exiting once the runs in progress end");
        try {
            close();
        } catch (IOException e) {
            // stopping to accept: nothing left to do
        }
    }

    /** True once the server stopped for lack of memory (it should exit non-zero, to be restarted). */
    boolean outOfMemory() {
        return outOfMemory;
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

    /**
     * The command to run here (a recovery, or the arguments of a {@code vcr pool} line after
     * {@code pool}), or why it cannot be (the caller then runs vcr itself).
     */
    record Verdict(RecoverRequest command, List<String> poolArgs, String fallback) {
        Verdict(RecoverRequest command, String fallback) {
            this(command, null, fallback);
        }
    }

    /**
     * The command {@code args} with {@code env} name when it runs here exactly as in a fresh process
     * of the caller's: only plain {@code recover} lines, with absolute paths (this process has
     * another working directory); else the reason it does not.
     */
    static Verdict verdict(List<String> args, Map<String, String> env) {
        if (!args.isEmpty() && args.get(0).equals("pool")) return PoolLine.verdict(args, env);
        if (args.isEmpty() || !args.get(0).equals("recover")) return new Verdict(null, "only vcr recover and vcr pool are served");
        RecoverRequest command = RecoverLine.parse(args.subList(1, args.size()).toArray(String[]::new));
        if (command == null) return new Verdict(null, "not a plain recover line");
        if (!command.independentOfWorkingDirectory()) return new Verdict(null, "a relative path on the command line");
        for (String v : env.values()) {
            if (!v.isBlank() && !v.startsWith("/")) return new Verdict(null, "a relative path in the environment");
        }
        return new Verdict(command.withEnvironment(env), null);
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
