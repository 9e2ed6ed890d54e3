package org.vcrecovery.vcr.standby;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;
import org.vcrecovery.vcr.VcrException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vcr standby start|stop|suspend|status|list}: drives one standby backend by hand.
 *
 * <p>Each subcommand prints one line per standby on stdout (or JSON with {@code --json}) and
 * maps a {@link StandbyException} onto an {@link ExitCode} in {@link #exitCode}: INVALID and
 * NOT_FOUND are USAGE, UNREACHABLE and TIMEOUT are UNREACHABLE, REFUSED is REFUSED, FAILED is
 * FAILED; an unsupported operation is USAGE. {@code status} exits 0 only for RUNNING and
 * SERVICE_DOWN (7) for any other state, so a Zabbix item can alert on it.
 */
@Command(name = "standby",
        mixinStandardHelpOptions = true,
        description = "Start, stop, suspend or inspect a standby through its backend (the installed ones: see --backend).",
        footerHeading = "%nExit codes:%n",
        footer = {
            "   0  done (status: the standby is RUNNING)",
            "   1  the backend tried and failed",
            "   2  bad input: unknown backend, option or standby; unsupported operation",
            "   3  the backend did not answer, or the operation did not finish in time",
            "   5  the backend refused (permissions)",
            "   7  status: the standby is not RUNNING (the line names its state)"},
        subcommands = {StandbyCommand.Start.class, StandbyCommand.Stop.class, StandbyCommand.Suspend.class,
            StandbyCommand.Status.class, StandbyCommand.ListCmd.class})
public final class StandbyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE.code();
    }

    /** Options every subcommand shares. */
    static final class BackendOptions {
        @Option(names = "--backend", required = true, description = "Backend name: ${COMPLETION-CANDIDATES}.",
                completionCandidates = InstalledBackends.class)
        String backend;

        @Option(names = {"-o", "--option"}, description = "Backend option key=value (repeatable), e.g. lxcpath=/var/lib/lxc, uri=qemu:///system.")
        Map<String, String> options = new LinkedHashMap<>();

        @Option(names = "--json", description = "Print JSON instead of lines.")
        boolean json;

        StandbyBackend open() {
            return StandbyBackends.installed().create(backend, options);
        }
    }

    /** Base of every subcommand: the shared backend options and the spec its output goes through. */
    abstract static class BackendCommand implements Callable<Integer> {
        @Mixin
        BackendOptions common;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
    }

    /** What start, stop and suspend do to the target through the backend. */
    interface Action {
        void apply(StandbyBackend b, String target, Duration timeout);
    }

    /** Base of the subcommands acting on one target with a timeout; prints {@code verb} and the state reached. */
    abstract static class TargetAction extends BackendCommand {
        private final String verb;
        private final Action action;

        TargetAction(String verb, Action action) {
            this.verb = verb;
            this.action = action;
        }

        @Option(names = "--timeout-ms", defaultValue = "30000", description = "Give up after this long, 1-3600000 (default: ${DEFAULT-VALUE}).")
        long timeoutMs;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The standby's name (container or domain).")
        String target;

        @Override
        public Integer call() {
            if (timeoutMs < 1 || timeoutMs > 3_600_000) {
                throw new VcrException(ExitCode.USAGE, "--timeout-ms must be 1-3600000, got " + timeoutMs);
            }
            return run(() -> {
                long t0 = System.nanoTime();
                try (StandbyBackend b = common.open()) {
                    action.apply(b, target, Duration.ofMillis(timeoutMs));
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    StandbyState s = b.status(target);
                    print(spec, common.json, common.backend, target, s, verb, ms, Optional.empty());
                }
                return ExitCode.OK.code();
            });
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a stopped standby or resume a paused one; returns when the backend says it runs.",
            footerHeading = "%nExit codes:%n", footer = {"   0  running", "   1  failed", "   2  bad input", "   3  unreachable or timed out", "   5  refused"})
    static final class Start extends TargetAction {
        Start() {
            super("started", StandbyBackend::start);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a standby hard (kill / destroy).",
            footerHeading = "%nExit codes:%n", footer = {"   0  stopped", "   1  failed", "   2  bad input", "   3  unreachable or timed out", "   5  refused"})
    static final class Stop extends TargetAction {
        Stop() {
            super("stopped", StandbyBackend::stop);
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Suspend (freeze) a running standby in memory, ready to be resumed by start.",
            footerHeading = "%nExit codes:%n", footer = {"   0  paused", "   1  failed", "   2  bad input or unsupported by the backend", "   3  unreachable or timed out", "   5  refused"})
    static final class Suspend extends TargetAction {
        Suspend() {
            super("suspended", StandbyBackend::suspend);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print a standby's state and address.",
            footerHeading = "%nExit codes:%n", footer = {"   0  RUNNING", "   2  bad input", "   3  unreachable", "   7  not running (PAUSED, STOPPED, ABSENT, UNKNOWN)"})
    static final class Status extends BackendCommand {
        @Parameters(index = "0", paramLabel = "TARGET", description = "The standby's name.")
        String target;

        @Override
        public Integer call() {
            return run(() -> {
                try (StandbyBackend b = common.open()) {
                    StandbyState s = b.status(target);
                    Optional<String> address = s == StandbyState.ABSENT ? Optional.empty() : b.address(target);
                    print(spec, common.json, common.backend, target, s, null, -1, address);
                    return s == StandbyState.RUNNING ? ExitCode.OK.code() : ExitCode.SERVICE_DOWN.code();
                }
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List every standby the backend knows: name, state, address.",
            footerHeading = "%nExit codes:%n", footer = {"   0  listed", "   1  failed", "   2  bad input", "   3  unreachable"})
    static final class ListCmd extends BackendCommand {
        @Override
        public Integer call() {
            return run(() -> {
                try (StandbyBackend b = common.open()) {
                    List<StandbyInfo> all = b.list();
                    PrintWriter out = spec.commandLine().getOut();
                    if (common.json) {
                        StringBuilder sb = new StringBuilder("[");
                        for (StandbyInfo i : all) {
                            if (sb.length() > 1) sb.append(',');
                            sb.append(json(common.backend, i.name(), i.state(), null, -1, i.address()));
                        }
                        out.println(sb.append(']'));
                    } else {
                        for (StandbyInfo i : all) {
                            out.println(i.name() + " " + i.state() + i.address().map(a -> " " + a).orElse(""));
                        }
                    }
                    out.flush();
                    return ExitCode.OK.code();
                }
            });
        }
    }

    private static Integer run(Callable<Integer> body) {
        try {
            return body.call();
        } catch (StandbyException e) {
            throw new VcrException(exitCode(e.code()), e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new VcrException(ExitCode.USAGE, String.valueOf(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new VcrException(ExitCode.FAILED, e.toString(), e);
        }
    }

    /** How a standby failure shows as an exit code of the standby commands. */
    public static ExitCode exitCode(StandbyException.Code code) {
        return switch (code) {
            case INVALID, NOT_FOUND -> ExitCode.USAGE;
            case UNREACHABLE, TIMEOUT -> ExitCode.UNREACHABLE;
            case REFUSED -> ExitCode.REFUSED;
            case FAILED -> ExitCode.FAILED;
        };
    }

    private static void print(CommandLine.Model.CommandSpec spec, boolean json, String backend, String target,
                              StandbyState state, String verb, long millis, Optional<String> address) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(backend, target, state, verb, millis, address));
        } else {
            StringBuilder sb = new StringBuilder(backend).append(' ').append(target);
            if (verb != null) sb.append(' ').append(verb).append(" in ").append(millis).append(" ms, now");
            sb.append(' ').append(state);
            address.ifPresent(a -> sb.append(", address ").append(a));
            out.println(sb);
        }
        out.flush();
    }

    private static String json(String backend, String target, StandbyState state, String verb, long millis, Optional<String> address) {
        Json j = new Json().open().field("backend", backend).field("target", target).field("state", state.name());
        if (verb != null) j.field("action", verb).field("millis", millis);
        address.ifPresent(a -> j.field("address", a));
        return j.close().toString();
    }

    /** The installed backends' names, for the help text: the factories say which exist. */
    static final class InstalledBackends implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return StandbyBackends.installed().names().iterator();
        }
    }
}
