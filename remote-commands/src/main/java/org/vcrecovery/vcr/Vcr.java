package org.vcrecovery.vcr;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.recover.Preload;
import org.vcrecovery.vcr.recover.RecoverCommand;
import org.vcrecovery.vcr.recover.RecoverLine;
import org.vcrecovery.vcr.recover.RecoverRequest;
import org.vcrecovery.vcr.recover.RecoverRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The {@code vcr} executable: what a Zabbix action runs, and what an operator runs by hand.
 *
 * <p>stdout carries what Zabbix should record; diagnostics go to stderr. A {@link VcrException}
 * becomes one line on stderr and its {@link ExitCode}; anything else is {@link ExitCode#FAILED}
 * (with the stack trace under {@code --verbose}): {@link Failure}.
 *
 * <p>Start-up: every Zabbix action is a fresh JVM, and building picocli's model of the whole
 * command tree costs about 100 ms there. So {@link #main} builds only the model of the
 * subcommand named by {@code args[0]} when it is one of {@link #FAST} (same handlers, same
 * {@code --verbose}, same names in messages); {@code vcr --version} builds no model at all, and
 * neither does a plain {@code vcr recover} line (what Zabbix actions run: {@link RecoverLine});
 * {@code vcr}, {@code vcr --help}, {@code vcr help}, a leading option and unknown names get the
 * whole tree.
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
            RecoverCommand.class,
            org.vcrecovery.vcr.runbook.RunbookCommand.class,
            org.vcrecovery.vcr.serve.ServeCommand.class,
            org.vcrecovery.vcr.breaker.ApproveCommand.class,
            org.vcrecovery.vcr.rebalance.RebalanceCommand.class,
            org.vcrecovery.vcr.pool.PoolCommand.class,
        })
public final class Vcr implements Callable<Integer> {
    /**
     * Subcommands {@link #main} may build alone, by name; each must be in {@code subcommands}
     * above under that name (VcrTest checks). A command missing here still works, through the
     * whole tree, only slower to start.
     */
    static final Map<String, Class<?>> FAST = Map.of(
            "recover", RecoverCommand.class,
            "check-port", org.vcrecovery.vcr.check.CheckPortCommand.class,
            "standby", org.vcrecovery.vcr.standby.StandbyCommand.class,
            "dns", org.vcrecovery.vcr.dns.DnsCommand.class,
            "zabbix", org.vcrecovery.vcr.zabbix.ZabbixCommand.class,
            "runbook", org.vcrecovery.vcr.runbook.RunbookCommand.class,
            "pool", org.vcrecovery.vcr.pool.PoolCommand.class);

    private static final String VERBOSE_HELP = "Print stack traces of unexpected errors to stderr.";

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = VERBOSE_HELP)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What install checks and monitoring call most: answered without building any model.
            System.out.println(version());
            System.exit(ExitCode.OK.code());
        }
        Class<?> sub = args.length > 0 ? FAST.get(args[0]) : null;
        if (sub == null) System.exit(commandLine().execute(args));
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        // dns get/set: dnsjava's tables and the first signed exchange load while picocli parses.
        if (sub == org.vcrecovery.vcr.dns.DnsCommand.class) org.vcrecovery.dns.DnsUpdater.preload();
        if (sub == RecoverCommand.class) {
            RecoverRequest plain = RecoverLine.parse(rest);
            if (plain != null) {
                Preload.start(plain.namesVm());
                System.exit(RecoverRun.run(plain, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
            }
        }
        System.exit(subcommandLine(args[0], sub).execute(rest));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Vcr());
        handlers(cl);
        cl.getCommandSpec().usageMessage().footerHeading("%nExit codes:%n").footer(exitCodeFooter());
        return cl;
    }

    /**
     * The command line of subcommand {@code name} alone, as it behaves inside {@link #commandLine}
     * (named {@code vcr NAME}, with the inherited {@code --verbose} and the same handlers).
     */
    static CommandLine subcommandLine(String name, Class<?> command) {
        CommandLine cl = new CommandLine(command);
        cl.getCommandSpec().addOption(OptionSpec.builder("--verbose").description(VERBOSE_HELP)
                .scopeType(CommandLine.ScopeType.INHERIT).build());
        cl.setCommandName("vcr " + name);
        handlers(cl);
        return cl;
    }

    private static void handlers(CommandLine cl) {
        cl.setExecutionExceptionHandler(Vcr::handleException);
        cl.setParameterExceptionHandler(Vcr::handleParameterException);
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
        return Failure.exitCode(e, cl.getErr(), verbose(parsed) || cl.getCommandSpec().root().userObject() instanceof Vcr v && v.verbose);
    }

    /** Whether {@code --verbose} was given at any level of the parsed command line. */
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
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
            return new String[] {version()};
        }
    }

    /** {@code vcr VERSION}, from the jar manifest ({@code dev} when run from classes). */
    static String version() {
        String v = Vcr.class.getPackage().getImplementationVersion();
        return "vcr " + (v == null ? "dev" : v);
    }
}
