package org.vcrecovery.drill;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import picocli.CommandLine;

/**
 * How {@code tests/drill} and {@code tests/chaos} run their picocli command, the same way: bad
 * flags are one line "NAME: what is wrong (see tests/NAME --help)" and exit 2; a
 * {@link DrillException} is one line "NAME: message" and the exit its code maps to; anything else
 * is "NAME: unexpected ..." with its stack trace. Everything goes to {@code out}, picocli's own
 * error stream after the run.
 */
public final class ToolMain {
    private ToolMain() {}

    /**
     * Runs {@code command} (a picocli command) with {@code args} as {@code tests/NAME}; returns the
     * exit code. {@code drillExit} maps a DrillException's code, {@code unexpected} is the exit of
     * any other exception.
     */
    public static int execute(Object command, String name, PrintStream out, IntUnaryOperator drillExit, int unexpected,
                              String... args) {
        CommandLine cl = new CommandLine(command);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        cl.setParameterExceptionHandler((e, a) -> {
            out.println(name + ": " + e.getMessage() + " (see tests/" + name + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof DrillException de) {
                out.println(name + ": " + de.getMessage());
                return drillExit.applyAsInt(de.exitCode());
            }
            out.println(name + ": unexpected " + e);
            e.printStackTrace(out);
            return unexpected;
        });
        int code = cl.execute(args);
        if (!err.toString().isBlank()) out.print(err);
        out.flush();
        return code;
    }

    /** The source checkout: {@code repo} when given, else the {@code vcr.repo} property, else the current directory. */
    public static Path repoRoot(Path repo) {
        return (repo != null ? repo : Path.of(System.getProperty("vcr.repo", "."))).toAbsolutePath().normalize();
    }
}
