package org.vcrecovery.vcr.zabbix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.vcr.VcrConsole;
import org.vcrecovery.vcr.WebRunbook;

/**
 * {@code vcr zabbix agent-rules}: the shipped snippets (classic agent and agent 2) with one exact
 * allow line per standby, in both waited-for forms, right above the deny rule, with the snippet's
 * own vcr path; a rerun replaces its block (same output); a snippet that is not ours, or has a
 * wildcard, is refused with one line and nothing on stdout. Real agents: AgentRulesIT.
 */
class AgentRulesTest {
    static final Path AGENTD = Path.of("../recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf");
    static final Path AGENT2 = Path.of("../recovery-scripts/agent/zabbix_agent2.d/vcrecovery.conf");

    @TempDir
    Path dir;
    final VcrConsole console = new VcrConsole();

    static List<String> rules(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("AllowKey=") || l.startsWith("DenyKey=")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zabbix_agentd.d", "zabbix_agent2.d"})
    void eachStandbyGetsItsExactLinesAboveTheDenyRuleAndARerunGivesTheSameFile(String flavour) throws Exception {
        List<String> shipped = Files.readAllLines(Path.of("../recovery-scripts/agent", flavour, "vcrecovery.conf"));
        List<String> once = AgentRules.apply(shipped, List.of("mail-warm", "web-cold"), "/etc/vcrecovery/runbooks");
        List<String> expected = new ArrayList<>(rules(shipped));
        String v = "/opt/vcrecovery/bin/vcr recover --pending --standby ";
        expected.addAll(expected.size() - 1, List.of(
                "AllowKey=system.run[" + v + "mail-warm]", "AllowKey=system.run[" + v + "mail-warm,wait]",
                "AllowKey=system.run[" + v + "web-cold]", "AllowKey=system.run[" + v + "web-cold,wait]"));
        assertThat(rules(once)).isEqualTo(expected);
        assertThat(rules(once).get(rules(once).size() - 1)).isEqualTo("DenyKey=system.run[*]");
        assertThat(once.stream().filter(l -> !rules(once).contains(l)).toList())
                .as("every other line kept").containsSubsequence(shipped.stream().filter(l -> !rules(shipped).contains(l)).toList());
        assertThat(AgentRules.apply(once, List.of("mail-warm", "web-cold"), "/etc/vcrecovery/runbooks")).isEqualTo(once);
        List<String> fewer = AgentRules.apply(once, List.of("web-cold"), "/etc/vcrecovery/runbooks");
        assertThat(rules(fewer)).doesNotContain("AllowKey=system.run[" + v + "mail-warm]").contains("AllowKey=system.run[" + v + "web-cold]");
    }

    @Test
    void theVcrPathIsTheSnippetsOwn() throws Exception {
        List<String> moved = Files.readAllLines(AGENTD).stream().map(l -> l.replace("/opt/vcrecovery/bin/vcr", "/usr/bin/vcr")).toList();
        assertThat(rules(AgentRules.apply(moved, List.of("web-warm"), "x")))
                .contains("AllowKey=system.run[/usr/bin/vcr recover --pending --standby web-warm]")
                .noneMatch(l -> l.contains("/opt/vcrecovery"));
    }

    @Test
    void aSnippetThatIsNotOursOrHasAWildcardOrABrokenBlockIsRefused() throws Exception {
        List<String> shipped = Files.readAllLines(AGENTD);
        List<List<String>> bad = List.of(
                shipped.stream().filter(l -> !l.equals("DenyKey=system.run[*]")).toList(),
                shipped.stream().filter(l -> !l.endsWith("vcr recover --pending]")).toList(),
                with(shipped, "AllowKey=system.run[/opt/vcrecovery/bin/vcr recover --pending --standby *]"),
                with(shipped, AgentRules.BEGIN + " x"),
                with(with(shipped, AgentRules.BEGIN + " x"), "DenyKey=system.run[*]"),
                with(shipped, AgentRules.END),
                with(shipped, "DenyKey=system.run[*]"));
        for (List<String> b : bad) assertThatThrownBy(() -> AgentRules.apply(b, List.of("web-warm"), "x")).isInstanceOf(IllegalArgumentException.class);
        List<String> block = AgentRules.apply(shipped, List.of("web-warm"), "x");
        int at = block.indexOf(AgentRules.END);
        List<String> edited = new ArrayList<>(block);
        edited.add(at, "UserParameter=evil,id");
        assertThatThrownBy(() -> AgentRules.apply(edited, List.of("web-warm"), "x")).hasMessageContaining("only generated AllowKey lines");
        for (String name : List.of("web;id", "a b", "{MANUALINPUT}")) {
            assertThatThrownBy(() -> AgentRules.apply(shipped, List.of(name), "x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static List<String> with(List<String> lines, String extra) {
        List<String> out = new ArrayList<>(List.of(extra));
        out.addAll(lines);
        return out;
    }

    int vcr(String... args) {
        return console.vcr(args);
    }

    @Test
    void theCommandPrintsTheSnippetForTheRunbooksHereAndRefusesAForeignFileWithOneLine() throws Exception {
        Path runbooks = WebRunbook.runbooks(dir, WebRunbook.YAML);
        Path cfg = Files.writeString(dir.resolve("vcr.yaml"), "runbooks: " + runbooks + "\nstate-dir: " + dir.resolve("state") + "\n");
        assertThat(vcr("zabbix", "agent-rules", "--config", cfg.toString(), "--snippet", AGENT2.toString())).as(console.err()).isZero();
        assertThat(console.out().lines().toList())
                .isEqualTo(AgentRules.apply(Files.readAllLines(AGENT2), List.of("web-warm"), runbooks.toString()));
        console.clear();
        Path foreign = Files.writeString(dir.resolve("other.conf"), "AllowKey=system.run[*]\n");
        assertThat(vcr("zabbix", "agent-rules", "--config", cfg.toString(), "--snippet", foreign.toString())).isEqualTo(2);
        assertThat(console.err()).contains("vcr: --snippet " + foreign + ": line 1: an allow rule with a wildcard");
        assertThat(console.out()).isEmpty();
    }
}
