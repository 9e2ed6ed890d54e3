package org.vcrecovery.vcr;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vcr} executable: what a Zabbix action runs, and what an operator runs by hand.
 *
 * <p>stdout carries what Zabbix should record; diagnostics go to stderr. A {@link VcrException}
 * becomes one line on stderr and its {@link ExitCode}; anything else is {@link ExitCode#FAILED}
 * (with the stack trace under {@code --verbose}).
 */
@Command(
        name = "vcr",
        mixinStandardHelpOptions = true,
        versionProvider = Vcr.Version.class,
        description = "Recovers services from failed virtual machines: standby, port check, DNS switch, Zabbix ack.",
        subcommands = {
            CommandLine.HelpCommand.class,
            org.vcrecovery.vcr.check.CheckPortCommand.class,
            org.vcrecovery.vcr.standby.StandbyCommand.class,
            org.vcrecovery.vcr.dns.DnsCommand.class,
            org.vcrecovery.vcr.zabbix.ZabbixCommand.class,
            org.vcrecovery.vcr.recover.RecoverCommand.class,
            org.vcrecovery.vcr.runbook.RunbookCommand.class,
        })
public final class Vcr implements Callable<Integer> {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of unexpected errors to stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Vcr());
        cl.setExecutionExceptionHandler(Vcr::handleException);
        cl.setParameterExceptionHandler(Vcr::handleParameterException);
        cl.getCommandSpec().usageMessage().footerHeading("%nExit codes:%n").footer(exitCodeFooter());
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE.code();
    }

    static String[] exitCodeFooter() {
        ExitCode[] codes = ExitCode.values();
        String[] lines = new String[codes.length];
        for (int i = 0; i < codes.length; i++) {
            lines[i] = String.format("  %2d  %s", codes[i].code(), codes[i].meaning());
        }
        return lines;
    }

    private static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed != null && parsed.hasMatchedOption("--verbose")
                || cl.getCommandSpec().root().userObject() instanceof Vcr v && v.verbose;
        if (e instanceof VcrException ve) {
            err.println("vcr: " + ve.getMessage());
            if (verbose && ve.getCause() != null) ve.getCause().printStackTrace(err);
            return ve.exitCode().code();
        }
        err.println("vcr: unexpected error: " + e);
        if (verbose) e.printStackTrace(err);
        return ExitCode.FAILED.code();
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("vcr: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return ExitCode.USAGE.code();
    }

    /** Reads the version Maven stamped into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vcr.class.getPackage().getImplementationVersion();
            return new String[] {"vcr " + (v == null ? "dev" : v)};
        }
    }
}
