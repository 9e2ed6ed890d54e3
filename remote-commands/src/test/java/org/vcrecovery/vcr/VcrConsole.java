package org.vcrecovery.vcr;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code vcr} commands in-process, each on a fresh command model, the way picocli's own
 * tests do: what they print on stdout and stderr is kept (appended run after run until
 * {@link #clear()}) so a test asserts on the exit code and on both streams. The one place the
 * unit tests of remote-commands run a whole command line; {@link #run} is the one-shot form.
 */
public final class VcrConsole {
    /** One finished run: its exit code and everything it printed on stdout and stderr. */
    public record Run(int exit, String out, String err) {}

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** {@code vcr ARGS} on the whole command tree; returns the exit code. */
    public int vcr(String... args) {
        return execute(Vcr.commandLine(), args);
    }

    /** ARGS on the given command model (the whole tree or one subcommand's); returns the exit code. */
    public int execute(CommandLine cl, String... args) {
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** Everything printed on stdout since creation or the last {@link #clear()}. */
    public String out() {
        return out.toString();
    }

    /** Everything printed on stderr since creation or the last {@link #clear()}. */
    public String err() {
        return err.toString();
    }

    /** Forgets what was printed so far. */
    public void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }

    /** {@code vcr ARGS} once on the whole tree, on a console of its own. */
    public static Run run(String... args) {
        return run(Vcr.commandLine(), args);
    }

    /** ARGS once on the given command model, on a console of its own. */
    public static Run run(CommandLine cl, String... args) {
        VcrConsole c = new VcrConsole();
        int exit = c.execute(cl, args);
        return new Run(exit, c.out(), c.err());
    }
}
