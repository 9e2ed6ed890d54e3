package org.vcrecovery.vcr.runbook;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.yaml.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code vcr runbook validate|show|list}: check runbooks (every problem as
 * {@code file:line: field: message}, exit 0 or 2), explain one in words, list those installed.
 */
@Command(name = "runbook", description = "Validate, explain and list runbooks.",
        footerHeading = "%nExit codes:%n",
        footer = {"   0  valid (validate), shown, listed", "   2  a runbook has problems, or is not found"},
        mixinStandardHelpOptions = true,
        subcommands = {RunbookCommand.Validate.class, RunbookCommand.Show.class, RunbookCommand.ListRunbooks.class})
public final class RunbookCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }

    /** {@code vcr runbook validate FILE...}. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check runbook files; print every problem as file:line: field: message. Exit 0 when all are valid, 2 otherwise.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Runbook files.")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int bad = 0;
            for (Path f : files) {
                try {
                    if (isPool(f)) {
                        PoolRunbook pool = PoolRunbookReader.read(f);
                        out.println(f + ": ok: pool " + pool.service() + ", " + pool.members().size() + " members (min "
                                + pool.policy().minActive() + " active), " + pool.checks().size() + " check(s), RRset "
                                + pool.dns().fqdn() + " " + pool.dns().type());
                        continue;
                    }
                    Runbook rb = RunbookReader.read(f);
                    out.println(f + ": ok: service " + rb.service() + ", " + rb.standbys().size() + " standby(s), "
                            + rb.checks().size() + " check(s), record " + rb.dns().fqdn() + " " + rb.dns().type());
                } catch (InvalidRunbookException e) {
                    bad++;
                    for (Problem p : e.problems()) out.println(p);
                } catch (IOException e) {
                    bad++;
                    out.println(f + ":0: cannot read: " + e.getMessage());
                }
            }
            out.flush();
            if (bad > 0) {
                spec.commandLine().getErr().println("vcr: " + bad + " of " + files.size() + " runbook(s) have problems");
                return ExitCode.USAGE.code();
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code vcr runbook show NAME|FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Explain a runbook in words: what vcr recover will do.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "NAME|FILE", description = "A runbook name (in the runbook directory) or file.")
        String runbook;

        @Override
        public Integer call() {
            VcrConfig cfg = options.load();
            Runbook rb = load(new RunbookCatalog(cfg.runbookDir()).resolve(runbook));
            PrintWriter out = spec.commandLine().getOut();
            for (String line : RunbookPlan.describe(rb, rb.limits().dedupWindow() != null ? rb.limits().dedupWindow() : cfg.dedupWindow())) {
                out.println(line);
            }
            out.flush();
            return ExitCode.OK.code();
        }
    }

    /** {@code vcr runbook list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the runbooks in the runbook directory, one per line.")
    static final class ListRunbooks implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            VcrConfig cfg = options.load();
            PrintWriter out = spec.commandLine().getOut();
            int bad = 0;
            for (Path f : new RunbookCatalog(cfg.runbookDir()).files()) {
                try {
                    if (isPool(f)) {
                        PoolRunbook pool = PoolRunbookReader.read(f);
                        out.println(pool.service() + "\t" + f + "\tpool of " + pool.members().size() + " (" + pool.dns().fqdn() + ")");
                        continue;
                    }
                    Runbook rb = RunbookReader.read(f);
                    out.println(rb.service() + "\t" + f + "\tprimary " + (rb.primary().domain() == null ? "-" : rb.primary().domain())
                            + " (" + rb.zabbixHost() + ", " + rb.primary().address() + ")\tstandbys "
                            + String.join(",", rb.standbys().stream().map(Runbook.Standby::name).toList()));
                } catch (InvalidRunbookException | IOException e) {
                    bad++;
                    out.println("?\t" + f + "\tINVALID: run vcr runbook validate " + f);
                }
            }
            out.flush();
            return bad > 0 ? ExitCode.USAGE.code() : ExitCode.OK.code();
        }
    }

    /** Reads a runbook for a command: problems become one USAGE error listing them all. */
    /** Whether {@code file} says {@code kind: pool} (false when it cannot be read: its reading says why). */
    static boolean isPool(Path file) {
        try {
            return PoolRunbookReader.isPool(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static Runbook load(Path file) {
        try {
            return RunbookReader.read(file);
        } catch (InvalidRunbookException e) {
            throw new VcrException(ExitCode.USAGE, "runbook " + file + " has problems (nothing was changed):\n" + e.getMessage());
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot read runbook " + file + ": " + e.getMessage());
        }
    }
}
