package org.vcrecovery.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped agent snippets (recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf for the
 * classic agent, .../zabbix_agent2.d/vcrecovery.conf for agent 2) each in a real agent of the
 * sandbox's Zabbix version, with nothing else but what it takes to start one: a table of hostile
 * keys (shell syntax in every form, newlines, the wait and nowait forms, quoting, other options
 * and subcommands, wildcards, extra parameters) must each be refused, create none of the marker
 * files they would create, and leave no "Executing command" line in the agent's log; only the
 * exact recovery lines run. The same holds for the snippet {@code vcr zabbix agent-rules} writes
 * for Zabbix 7.0's standby choice: each listed standby's line runs, and no other value in any
 * form (another name, shell syntax around a listed one, extra options, the unresolved macro).
 * {@code -Dvcr.agent.snippet=FILE} (classic) or
 * {@code -Dvcr.agent2.snippet=FILE} runs the table against another snippet (the one before this
 * test existed lets the first key run {@code touch}).
 */
class AgentRulesIT {
    static final String VCR = "/opt/vcrecovery/bin/vcr";

    /** Hostile keys: %V is vcr's path, %M a marker file the key's command would create if it ran. */
    static final List<String> HOSTILE = List.of(
            "system.run[\"%V --version; touch %M\",wait]",
            "system.run[\"%V recover --pending; touch %M\",wait]",
            "system.run[\"%V recover --pending; touch %M\",nowait]",
            "system.run[\"%V recover --pending; touch %M\"]",
            "system.run[\"%V recover --pending && touch %M\"]",
            "system.run[\"%V recover --pending || touch %M\",nowait]",
            "system.run[\"%V recover --pending | touch %M\"]",
            "system.run[\"%V recover --pending & touch %M\",nowait]",
            "system.run[\"%V recover --pending $(touch %M)\"]",
            "system.run[\"%V recover --pending `touch %M`\",nowait]",
            "system.run[\"%V recover --pending\ntouch %M\"]",
            "system.run[\"%V recover --pending\ntouch %M\",nowait]",
            "system.run[%V recover --pending\ntouch %M,wait]",
            "system.run[\"%V recover --pending > %M\"]",
            "system.run[\"%V recover --pending\\\"; touch %M; \\\"\"]",
            "system.run[touch %M]",
            "system.run[touch %M,wait]",
            "system.run[touch %M,nowait]",
            "system.run[X=1 touch %M,nowait]",
            "system.run[/opt/vcrecovery/bin/../../../usr/bin/touch %M]",
            "system.run[%V recover --pending,nowait,touch %M]",
            "system.run[%V recover --pending,wait;touch %M]",
            "system.run[%V recover --pending --config %M]",
            "system.run[%V recover --pending --state-dir %M,nowait]",
            "system.run[%V recover --pending --plan --runbooks %M]",
            "system.run[%V recover --event-id 1 --trigger-host x --runbook %M]",
            "system.run[%V dns set --value 127.0.0.66 --name %M]",
            "system.run[%V serve --address-file %M,nowait]",
            "system.run[%V recover --pending --plan,nowait]",
            "system.run[%V recover  --pending]",
            "system.run[%V recover --pending ]",
            "system.run[%V recover\t--pending]",
            "system.run[%V recover --pending #%M]",
            "system.run[%V recover --pending*]",
            "system.run[%V *]",
            "system.run[%V recover *,nowait]",
            "system.run[*]",
            "system.run[*,*]",
            "system.run[*,nowait]",
            "system.run[\"%V approve --held; touch %M\"]",
            "system.run[\"%V approve --held\ntouch %M\",wait]",
            "system.run[%V approve --held,nowait]",
            "system.run[%V approve --held --config %M]",
            "system.run[%V approve --service %M]",
            "system.run[%V approve --host x]",
            "system.run[%V approve --held --state-dir %M,wait]",
            "system.run[%V approve *]",
            "system.run[%V recover --pending --standby x]",
            "system.run[%V recover --pending --standby {MANUALINPUT}]",
            "system.run[%V pool grow %M]",
            "system.run[%V pool shrink --pending --config %M,nowait]",
            "system.run[%V pool status %M,wait]");

    /** The exact lines the snippet allows, in the forms the server sends (and the quoted form, the same command). */
    static final List<String> ALLOWED = List.of(
            "system.run[%V recover --pending,nowait]",
            "system.run[%V recover --pending]",
            "system.run[%V recover --pending,wait]",
            "system.run[\"%V recover --pending\",nowait]",
            "system.run[%V recover --pending --plan]",
            "system.run[%V recover --pending --plan,wait]",
            "system.run[%V approve --held]",
            "system.run[%V approve --held,wait]",
            "system.run[%V pool grow --pending,nowait]",
            "system.run[%V pool shrink --pending]",
            "system.run[%V pool status,wait]");

    @ParameterizedTest
    @EnumSource(AgentDaemon.Flavour.class)
    void noHostileKeyRunsAnythingAndOnlyTheExactRecoveryLinesRun(AgentDaemon.Flavour flavour, @TempDir Path dir) throws Exception {
        Path markers = markers(dir);
        try (AgentDaemon agent = AgentDaemon.start(flavour, dir, flavour.snippet())) {
            List<String> ran = accepted(agent, flavour, HOSTILE, markers);
            runAll(agent, flavour, ALLOWED);

            assertThat(ran).as("hostile keys the agent accepted").isEmpty();
            assertThat(agent.executed()).as("every command the agent executed").hasSize(ALLOWED.size())
                    .allMatch(c -> Set.of(VCR + " recover --pending", VCR + " recover --pending --plan", VCR + " approve --held",
                            VCR + " pool grow --pending", VCR + " pool shrink --pending", VCR + " pool status").contains(c));
            assertNoMarker(markers);
        }
    }

    /** Hostile keys against the standby-choice lines: %V vcr's path, %M a marker file. */
    static final List<String> HOSTILE_CHOICES = List.of(
            "system.run[\"%V recover --pending --standby web-warm; touch %M\"]",
            "system.run[\"%V recover --pending --standby web-warm && touch %M\",wait]",
            "system.run[\"%V recover --pending --standby web-warm $(touch %M)\"]",
            "system.run[\"%V recover --pending --standby `touch %M`\"]",
            "system.run[\"%V recover --pending --standby web-warm\ntouch %M\"]",
            "system.run[%V recover --pending --standby web-warm,nowait]",
            "system.run[%V recover --pending --standby web-warm --config %M]",
            "system.run[%V recover --pending --standby web-warm --runbooks %M,wait]",
            "system.run[%V recover --pending --standby web-warm --plan]",
            "system.run[%V recover --pending --standby web-cold]",
            "system.run[%V recover --pending --standby 'web-warm']",
            "system.run[%V recover --pending --standby web-*]",
            "system.run[%V recover --pending --standby {MANUALINPUT}]",
            "system.run[%V recover --pending --standby ]",
            "system.run[%V recover --pending --standby %M]",
            "system.run[%V recover --event-id 1 --standby web-warm]");

    @ParameterizedTest
    @EnumSource(AgentDaemon.Flavour.class)
    void withTheStandbyChoiceRulesOnlyEachListedStandbysExactLineRuns(AgentDaemon.Flavour flavour, @TempDir Path dir) throws Exception {
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        for (String[] rb : new String[][] {{"web", "web-warm"}, {"mail", "mail.cold_1"}}) {
            Files.writeString(runbooks.resolve(rb[0] + ".yaml"), "service: " + rb[0] + "\nzabbix-host: " + rb[0] + "-host\nprimary:\n"
                    + "  address: 127.0.10.1\nfencing:\n  mode: verify-dead\nstandbys:\n  - name: " + rb[1] + "\n    kind: warm-container\n"
                    + "    backend: lxc\n    address: 127.0.10.2\nchecks:\n  - protocol: tcp\n    port: 8080\ndns:\n  server: 127.0.0.1:53\n"
                    + "  tsig: none\n  zone: example.test\n  name: " + rb[0] + "\n");
        }
        Path cfg = Files.writeString(dir.resolve("vcr.yaml"), "runbooks: " + runbooks + "\nstate-dir: " + dir.resolve("state") + "\n");
        org.vcrecovery.it.VcrRun r = org.vcrecovery.it.VcrRun.of("zabbix", "agent-rules", "--config", cfg.toString(),
                "--snippet", flavour.snippet().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Path snippet = Files.writeString(dir.resolve("vcrecovery.conf"), r.out());
        Path markers = markers(dir);
        List<String> allowed = List.of("system.run[%V recover --pending --standby web-warm]",
                "system.run[%V recover --pending --standby web-warm,wait]",
                "system.run[%V recover --pending --standby mail.cold_1]",
                "system.run[%V recover --pending]");
        try (AgentDaemon agent = AgentDaemon.start(flavour, dir, snippet)) {
            List<String> hostile = new ArrayList<>(HOSTILE_CHOICES);
            hostile.addAll(HOSTILE);
            List<String> ran = accepted(agent, flavour, hostile, markers);
            runAll(agent, flavour, allowed);
            assertThat(ran).as("hostile keys the agent accepted").isEmpty();
            assertThat(agent.executed()).as("every command the agent executed").containsExactlyInAnyOrder(
                    VCR + " recover --pending --standby web-warm", VCR + " recover --pending --standby web-warm",
                    VCR + " recover --pending --standby mail.cold_1", VCR + " recover --pending");
            assertNoMarker(markers);
        }
    }

    /** A marker directory writable by anyone: a command the agent ran as another user could still leave its marker. */
    private static Path markers(Path dir) throws Exception {
        Path markers = Files.createDirectory(dir.resolve("markers"));
        Files.setPosixFilePermissions(markers, PosixFilePermissions.fromString("rwxrwxrwx"));
        return markers;
    }

    /** Asks {@code agent} for each of {@code keys} (%V vcr, %M a marker of its own); the keys it did not refuse, with its answer. */
    private static List<String> accepted(AgentDaemon agent, AgentDaemon.Flavour flavour, List<String> keys, Path markers) throws Exception {
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i).replace("%V", VCR).replace("%M", markers.resolve("m" + i).toString());
            String answer = agent.get(key);
            if (!answer.equals(flavour.refused)) ran.add(key + " -> " + answer);
        }
        return ran;
    }

    /**
     * Runs each allowed key and waits until the agent logged that many commands. The nowait hostile
     * keys would have run in the background: what the log and the marker directory hold after
     * this covers them too.
     */
    private static void runAll(AgentDaemon agent, AgentDaemon.Flavour flavour, List<String> allowed) throws Exception {
        for (String k : allowed) {
            String key = k.replace("%V", VCR);
            assertThat(agent.get(key)).as(key).isNotEqualTo(flavour.refused);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> agent.executed().size() >= allowed.size());
    }

    private static void assertNoMarker(Path markers) throws Exception {
        try (var s = Files.list(markers)) {
            assertThat(s.toList()).as("markers a hostile command created").isEmpty();
        }
    }
}
