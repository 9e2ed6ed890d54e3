package org.vcrecovery.vcr.zabbix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.recover.RecoverCommand;
import picocli.CommandLine;

/**
 * Every script {@code vcr zabbix install} creates runs a {@code vcr recover} command line that
 * {@code vcr recover} accepts: each option it uses exists (the menu scripts once used flags
 * recover never had).
 */
class ScriptSpecsTest {
    static Stream<ScriptSpecs.Spec> specs() {
        return Stream.concat(ScriptSpecs.all("/opt/vcrecovery/bin/vcr", false).stream(),
                ScriptSpecs.all("/usr/bin/vcr", true).stream());
    }

    /** The command's words after {@code vcr recover}, with the single quotes a shell would remove. */
    static List<String> args(String command) {
        List<String> out = new ArrayList<>();
        for (String w : command.split(" ")) out.add(w.replace("'", ""));
        assertThat(out.get(1)).isEqualTo("recover");
        return out.subList(2, out.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyCommandParsesAsVcrRecover(ScriptSpecs.Spec s) {
        String command = (String) s.fields().get("command");
        CommandLine cl = new CommandLine(new RecoverCommand());
        CommandLine.ParseResult r = cl.parseArgs(args(command).toArray(String[]::new));
        assertThat(r.unmatched()).as(command).isEmpty();
        assertThat(r.hasMatchedOption("--trigger-host")).as(command).isTrue();
        boolean planOnly = s.name().equals(ScriptSpecs.SHOW_PLAN) || s.name().equals(ScriptSpecs.FAIL_BACK);
        assertThat(r.hasMatchedOption("--plan")).as(command).isEqualTo(planOnly);
        assertThat(r.hasMatchedOption("--failback")).as(command).isEqualTo(s.name().equals(ScriptSpecs.FAIL_BACK));
    }
}
