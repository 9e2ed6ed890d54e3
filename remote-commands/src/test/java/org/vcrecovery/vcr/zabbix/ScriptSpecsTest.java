package org.vcrecovery.vcr.zabbix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.recover.RecoverCommand;
import picocli.CommandLine;

/**
 * Every script {@code vcr zabbix install} creates on every version runs one literal line
 * ({@code vcr recover --pending}, or {@code vcr approve --held}): no Zabbix macro (no value Zabbix
 * substitutes reaches a shell), an option set vcr accepts, and exactly a line the shipped agent
 * snippet allows, so the agent's exact rules and the installer can never drift apart. The one
 * script with a value, 7.0's standby choice, exists only where the server has manual input, offers
 * a strict list, and each of its lines is what {@code vcr zabbix agent-rules} allows.
 */
class ScriptSpecsTest {
    static final Path SNIPPET = Path.of(System.getProperty("vcr.agent.snippet",
            "../recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf"));

    static Stream<ScriptSpecs.Spec> specs() {
        return Stream.concat(ScriptSpecs.all("/opt/vcrecovery/bin/vcr", false).stream(),
                ScriptSpecs.all("/usr/bin/vcr", true).stream());
    }

    /** The commands the snippet's AllowKey lines name (the first parameter of each system.run key). */
    static Set<String> allowedCommands() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(SNIPPET)) {
            if (!line.startsWith("AllowKey=")) continue;
            assertThat(line).as("an allow rule of the snippet").startsWith("AllowKey=system.run[").endsWith("]").doesNotContain("*");
            String params = line.substring("AllowKey=system.run[".length(), line.length() - 1);
            out.add(params.replaceFirst(",(wait|nowait)$", ""));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyCommandIsOneLiteralVcrRecoverPendingLine(ScriptSpecs.Spec s) {
        String command = (String) s.fields().get("command");
        assertThat(command).doesNotContain("{", "}", "'", "\"", "$", ";");
        List<String> words = List.of(command.split(" "));
        if (s.name().equals(ScriptSpecs.APPROVE_HELD)) {
            assertThat(words.subList(1, words.size())).containsExactly("approve", "--held");
            CommandLine.ParseResult r = new CommandLine(new org.vcrecovery.vcr.breaker.ApproveCommand()).parseArgs("--held");
            assertThat(r.hasMatchedOption("--held")).isTrue();
            assertThat(s.fields().get("confirmation")).isEqualTo("Approve automatic recovery of held failures on {HOST.NAME}?");
            assertThat(s.fields().get("execute_on")).isEqualTo("0");
            return;
        }
        if (words.get(1).equals("rebalance")) {
            CommandLine.ParseResult r = new CommandLine(new org.vcrecovery.vcr.rebalance.RebalanceCommand())
                    .parseArgs(words.subList(2, words.size()).toArray(String[]::new));
            assertThat(r.unmatched()).as(command).isEmpty();
            assertThat(r.hasMatchedOption("--pending")).as(command).isTrue();
            assertThat(r.hasMatchedOption("--from")).as("which VM comes from Zabbix, never from the command line").isFalse();
            assertThat(r.hasMatchedOption("--plan")).as(command).isEqualTo(s.name().equals(ScriptSpecs.SHOW_REBALANCE));
            if (s.fields().get("scope").equals("2")) assertThat(s.fields().get("execute_on")).isEqualTo("0");
            return;
        }
        if (words.get(1).equals("pool")) {
            // vcr pool grow|shrink --pending (actions and menu) or vcr pool status (menu): no value from Zabbix either.
            assertThat(words.subList(1, words.size())).as(command).isIn(List.of("pool", "grow", "--pending"),
                    List.of("pool", "shrink", "--pending"), List.of("pool", "status"));
            CommandLine.ParseResult r = new CommandLine(new org.vcrecovery.vcr.pool.PoolCommand())
                    .parseArgs(words.subList(2, words.size()).toArray(String[]::new));
            assertThat(r.subcommand().unmatched()).as(command).isEmpty();
            if (s.fields().get("scope").equals("2")) assertThat(s.fields().get("execute_on")).isEqualTo("0");
            return;
        }
        assertThat(words.get(1)).isEqualTo("recover");
        CommandLine cl = new CommandLine(new RecoverCommand());
        CommandLine.ParseResult r = cl.parseArgs(words.subList(2, words.size()).toArray(String[]::new));
        assertThat(r.unmatched()).as(command).isEmpty();
        assertThat(r.hasMatchedOption("--pending")).as(command).isTrue();
        assertThat(r.hasMatchedOption("--plan")).as(command).isEqualTo(s.name().equals(ScriptSpecs.SHOW_PLAN));
        if (s.fields().get("scope").equals("2")) {
            assertThat(s.fields().get("execute_on")).as("menu scripts run on an agent, never on the server").isEqualTo("0");
        }
    }

    @Test
    void theShippedAgentSnippetAllowsExactlyTheInstalledCommandsInEveryForm() throws IOException {
        Set<String> installed = new TreeSet<>();
        for (ScriptSpecs.Spec s : ScriptSpecs.all(InstallCommand.DEFAULT_VCR, true)) installed.add((String) s.fields().get("command"));
        assertThat(allowedCommands()).isEqualTo(installed);
        List<String> lines = Files.readAllLines(SNIPPET);
        // The server sends system.run[CMD] for a menu script (it waits), system.run[CMD,nowait] for an action.
        for (String c : installed) assertThat(lines).contains("AllowKey=system.run[" + c + "]");
        assertThat(lines).contains("AllowKey=system.run[" + ScriptSpecs.recoverCommand(InstallCommand.DEFAULT_VCR) + ",nowait]");
        List<String> rules = lines.stream().filter(l -> l.startsWith("AllowKey=") || l.startsWith("DenyKey=")).toList();
        assertThat(rules.get(rules.size() - 1)).as("the last rule denies every other command").isEqualTo("DenyKey=system.run[*]");
    }

    @Test
    void theAgent2SnippetHasExactlyTheClassicSnippetsRules() throws IOException {
        Path agent2 = SNIPPET.resolveSibling("../zabbix_agent2.d/vcrecovery.conf").normalize();
        assertThat(rules(agent2)).as(agent2.toString()).isEqualTo(rules(SNIPPET));
    }

    private static List<String> rules(Path snippet) throws IOException {
        return Files.readAllLines(snippet).stream().filter(l -> l.startsWith("AllowKey=") || l.startsWith("DenyKey=")).toList();
    }

    static final org.vcrecovery.zabbix.api.ZabbixVersion V60 = org.vcrecovery.zabbix.api.ZabbixVersion.parse("6.0.14");
    static final org.vcrecovery.zabbix.api.ZabbixVersion V70 = org.vcrecovery.zabbix.api.ZabbixVersion.parse("7.0.9");

    @Test
    void onSevenWithStandbysTheChoiceScriptOffersExactlyThemAsAStrictList() {
        List<ScriptSpecs.Spec> all = ScriptSpecs.all("/usr/bin/vcr", true, ScriptSpecs.Menu.of(V70, List.of("mail-warm", "web-cold")));
        ScriptSpecs.Spec choice = all.get(all.size() - 1);
        assertThat(choice.name()).isEqualTo(ScriptSpecs.RECOVER_ON);
        assertThat(choice.fields()).containsEntry("command", "/usr/bin/vcr recover --pending --standby {MANUALINPUT}")
                .containsEntry("scope", "2").containsEntry("execute_on", "0").containsEntry("host_access", "3")
                .containsEntry("manualinput", "1").containsEntry("manualinput_validator_type", "1")
                .containsEntry("manualinput_validator", "mail-warm,web-cold")
                .doesNotContainKey("manualinput_default_value");
        assertThat((String) choice.fields().get("confirmation")).startsWith("Recover now, on the chosen standby,");
        assertThat((String) choice.fields().get("manualinput_prompt")).isNotBlank();
        // every other script is the literal set, unchanged
        assertThat(all.subList(0, all.size() - 1)).isEqualTo(ScriptSpecs.all("/usr/bin/vcr", true));
    }

    @Test
    void onSixOrWithoutStandbysThereIsNoChoiceAndNoManualInputField() {
        for (ScriptSpecs.Menu m : List.of(ScriptSpecs.Menu.of(V60, List.of("web-warm")), ScriptSpecs.Menu.of(V70, List.of()))) {
            List<ScriptSpecs.Spec> all = ScriptSpecs.all("/usr/bin/vcr", true, m);
            assertThat(all).isEqualTo(ScriptSpecs.all("/usr/bin/vcr", true));
            assertThat(all).allSatisfy(s -> assertThat(s.fields().keySet()).noneMatch(k -> k.startsWith("manualinput")));
        }
    }

    @Test
    void aChoiceThatIsNotAPlainNameOrAListLongerThanZabbixStoresIsRefused() {
        for (String bad : List.of("web;id", "a,b", "{MANUALINPUT}", "-x", "web warm", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScriptSpecs.Menu(true, List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScriptSpecs.Menu(true, List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) many.add("standby-number-" + i + "-of-a-large-fleet");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScriptSpecs.all("/usr/bin/vcr", true, new ScriptSpecs.Menu(true, many)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
    }
}
