package org.vcrecovery.vcr;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place a command's failure becomes an exit code and one line on stderr: a
 * {@link VcrException} its own code and message; any other exception, and any error (out of
 * memory, stack overflow, a class that cannot link), {@link ExitCode#FAILED} with the
 * exception's class and message, the stack trace only when {@code verbose}.
 *
 * <p>It also counts the OutOfMemoryErrors this JVM has met ({@link #outOfMemory}), so a
 * long-lived {@code vcr serve} can stop taking new runs after one.
 */
public final class Failure {
    private static final AtomicLong OUT_OF_MEMORY = new AtomicLong();

    private Failure() {}

    /** Runs {@code body} (a command) with this top-level catch: its exit code, or its failure's. Flushes both writers. */
    public static int run(Callable<Integer> body, PrintWriter out, PrintWriter err, boolean verbose) {
        try {
            return body.call();
        } catch (Throwable e) {
            return exitCode(e, err, verbose);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code e} as one line on {@code err} (and its trace when {@code verbose}); returns its exit code. */
    public static int exitCode(Throwable e, PrintWriter err, boolean verbose) {
        noted(e);
        if (e instanceof VcrException ve) {
            err.println("vcr: " + ve.getMessage());
            if (verbose && ve.getCause() != null) ve.getCause().printStackTrace(err);
            return ve.exitCode().code();
        }
        String line = String.valueOf(e).replaceAll("\\s*[\\r\\n]+\\s*", " / ");
        err.println("vcr: unexpected " + (e instanceof Error ? "fatal error: " : "error: ") + line);
        if (verbose) e.printStackTrace(err);
        return ExitCode.FAILED.code();
    }

    /** Counts {@code e} when it is (or was caused by) an OutOfMemoryError; returns {@code e}. */
    public static Throwable noted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                OUT_OF_MEMORY.incrementAndGet();
                break;
            }
        }
        return e;
    }

    /** How many OutOfMemoryErrors this JVM's commands have met so far (only ever grows). */
    public static long outOfMemory() {
        return OUT_OF_MEMORY.get();
    }
}
