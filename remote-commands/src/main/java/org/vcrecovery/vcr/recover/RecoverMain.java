package org.vcrecovery.vcr.recover;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import picocli.CommandLine;

/**
 * A start-up fast path for {@code vcr recover ARGS}: builds the picocli model of this one command
 * instead of the whole {@code vcr} tree (about 100 ms of a fresh JVM's start), with the same
 * error contract as {@link org.vcrecovery.vcr.Vcr}: a {@link VcrException} is one line on stderr
 * and its exit code, anything else is {@link ExitCode#FAILED} (stack trace with {@code --verbose}).
 * {@code Vcr.main} can hand {@code recover} over to {@link #run}; behaviour is otherwise identical.
 */
public final class RecoverMain {
    private RecoverMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code recover ARGS} ({@code args[0]} is "recover"); returns the exit code. */
    public static int run(String... args) {
        List<String> rest = new ArrayList<>();
        boolean verbose = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--verbose")) verbose = true;
            else rest.add(args[i]);
        }
        boolean trace = verbose;
        CommandLine cl = new CommandLine(new RecoverCommand());
        cl.setCommandName("vcr recover");
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter err = c.getErr();
            if (e instanceof VcrException ve) {
                err.println("vcr: " + ve.getMessage());
                if (trace && ve.getCause() != null) ve.getCause().printStackTrace(err);
                return ve.exitCode().code();
            }
            err.println("vcr: unexpected error: " + e);
            if (trace) e.printStackTrace(err);
            return ExitCode.FAILED.code();
        });
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("vcr: " + e.getMessage());
            err.println("Try 'vcr recover --help'.");
            return ExitCode.USAGE.code();
        });
        return cl.execute(rest.toArray(String[]::new));
    }
}
