package org.vcrecovery.vcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.VcrConsole.Run;
import picocli.CommandLine;

/** Vcr.main's start-up shortcut (one subcommand's model) behaves exactly as the whole tree. */
class VcrTest {
    private static Run whole(String... args) {
        return VcrConsole.run(Vcr.commandLine(), args);
    }

    private static Run alone(String... args) {
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        return VcrConsole.run(Vcr.subcommandLine(args[0], Vcr.FAST.get(args[0])), rest);
    }

    static Stream<List<String>> commandLines() {
        return Stream.of(
                List.of("recover", "--help"),
                List.of("recover", "--no-such-option"),
                List.of("recover", "--verbose", "--event-id", "1", "--trigger-host", "x;y"),
                List.of("recover", "--event-id", "12a"),
                List.of("check-port", "--help"),
                List.of("check-port", "--host", "127.0.0.1"),
                List.of("dns", "--help"),
                List.of("dns", "set", "--help"),
                List.of("dns", "set", "--verbose", "--bogus"),
                List.of("dns", "get", "--verbose", "--help"),
                List.of("standby", "--help"),
                List.of("standby", "status", "--help"),
                List.of("zabbix", "--help"),
                List.of("zabbix", "install", "--help"),
                List.of("runbook", "--help"),
                List.of("runbook", "validate", "--help"),
                List.of("runbook", "validate", "/nonexistent/vcr-test.yaml"));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void theSubcommandAloneAnswersAsInTheWholeTree(List<String> commandLine) {
        String[] args = commandLine.toArray(String[]::new);
        assertThat(alone(args)).isEqualTo(whole(args));
    }

    @Test
    void everyShortcutIsTheSubcommandOfThatNameInTheTree() {
        Map<String, CommandLine> subs = Vcr.commandLine().getSubcommands();
        Vcr.FAST.forEach((name, type) -> {
            assertThat(subs).containsKey(name);
            assertThat(subs.get(name).getCommand().getClass()).isEqualTo(type);
        });
    }

    @Test
    void helpOfTheWholeTreeListsEveryCommandAndTheExitCodes() {
        Run r = whole("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(Vcr.FAST.keySet().toArray(String[]::new)).contains("Exit codes:");
        for (ExitCode c : ExitCode.values()) assertThat(r.out()).contains(String.format("  %2d  ", c.code()));
    }

    static Stream<List<String>> plainRecoverLines() {
        return Stream.of(
                List.of("recover", "--event-id", "12a"),
                List.of("recover", "--verbose", "--event-id", "1", "--trigger-host", "x;y"),
                List.of("recover", "--trigger-host", "{HOST.HOST}"),
                List.of("recover", "--start-primary", "--runbook", "web"),
                List.of("recover", "--runbook", "no-such-runbook", "--config", "/nonexistent/vcr.yaml"),
                List.of("recover", "--runbook", "no-such-runbook", "--runbooks", "/nonexistent/runbooks", "--plan"));
    }

    @ParameterizedTest
    @MethodSource("plainRecoverLines")
    void aPlainRecoverLineAnswersWithoutPicocliAsInTheWholeTree(List<String> commandLine) {
        String[] args = commandLine.toArray(String[]::new);
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        org.vcrecovery.vcr.recover.RecoverRequest plain = org.vcrecovery.vcr.recover.RecoverLine.parse(rest);
        assertThat(plain).isNotNull();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = org.vcrecovery.vcr.recover.RecoverRun.run(plain, new PrintWriter(out), new PrintWriter(err));
        assertThat(new Run(code, out.toString(), err.toString())).isEqualTo(whole(args)).extracting(Run::exit).isNotEqualTo(0);
    }
}
