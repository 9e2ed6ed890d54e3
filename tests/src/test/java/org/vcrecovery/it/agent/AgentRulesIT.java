package org.vcrecovery.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped agent snippet (recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf) in a real
 * {@code zabbix_agentd}, with nothing else but what it takes to start one: a table of hostile
 * keys (shell syntax in every form, newlines, the wait and nowait forms, quoting, other options
 * and subcommands, wildcards, extra parameters) must each be refused, create none of the marker
 * files they would create, and leave no "Executing command" line in the agent's log; only the
 * exact recovery lines run. {@code -Dvcr.agent.snippet=FILE} runs the table against another
 * snippet (the one before this test existed lets the first key run {@code touch}).
 */
class AgentRulesIT {
    static final String VCR = "/opt/vcrecovery/bin/vcr";
    static final Pattern EXECUTED = Pattern.compile("Executing command '(.*)'$", Pattern.MULTILINE);

    @TempDir
    static Path dir;
    static AgentDaemon agent;
    static Path markers;

    static Path snippet() {
        String given = System.getProperty("vcr.agent.snippet");
        if (given != null && !given.isBlank()) return Path.of(given);
        return Path.of(System.getProperty("vcr.repo", "..")).toAbsolutePath().normalize()
                .resolve("recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf");
    }

    @BeforeAll
    static void startAgent() throws Exception {
        markers = Files.createDirectory(dir.resolve("markers"));
        // Writable by anyone: a command the agent ran as another user could still leave its marker.
        Files.setPosixFilePermissions(markers, PosixFilePermissions.fromString("rwxrwxrwx"));
        agent = AgentDaemon.start(dir, snippet());
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) agent.close();
    }

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
            "system.run[*,nowait]");

    /** The exact lines the snippet allows, in the forms the server sends (and the quoted form, the same command). */
    static final List<String> ALLOWED = List.of(
            "system.run[%V recover --pending,nowait]",
            "system.run[%V recover --pending]",
            "system.run[%V recover --pending,wait]",
            "system.run[\"%V recover --pending\",nowait]",
            "system.run[%V recover --pending --plan]",
            "system.run[%V recover --pending --plan,wait]");

    @Test
    void noHostileKeyRunsAnythingAndOnlyTheExactRecoveryLinesRun() throws Exception {
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            Path marker = markers.resolve("m" + i);
            String key = HOSTILE.get(i).replace("%V", VCR).replace("%M", marker.toString());
            String answer = agent.get(key);
            if (!answer.equals(AgentDaemon.NOT_SUPPORTED)) ran.add(key + " -> " + answer);
        }
        // The nowait ones would run in the background: what the log and the marker directory
        // hold after the allowed lines below ran (and were logged) covers them too.
        for (String k : ALLOWED) {
            String key = k.replace("%V", VCR);
            assertThat(agent.get(key)).as(key).isNotEqualTo(AgentDaemon.NOT_SUPPORTED);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                executed().size() >= ALLOWED.size());

        assertThat(ran).as("hostile keys the agent accepted").isEmpty();
        assertThat(executed()).as("every command the agent executed").hasSize(ALLOWED.size())
                .allMatch(c -> Set.of(VCR + " recover --pending", VCR + " recover --pending --plan").contains(c));
        try (var s = Files.list(markers)) {
            assertThat(s.toList()).as("markers a hostile command created").isEmpty();
        }
    }

    /** The commands the agent's log says it executed (LogRemoteCommands=1 comes from the snippet). */
    static List<String> executed() throws Exception {
        List<String> out = new ArrayList<>();
        if (!Files.exists(agent.log)) return out;
        Matcher m = EXECUTED.matcher(Files.readString(agent.log));
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
