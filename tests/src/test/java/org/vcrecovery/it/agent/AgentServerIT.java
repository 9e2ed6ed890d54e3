package org.vcrecovery.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.ValueType;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * The legitimate path through the shipped snippet: the real Zabbix server's own keys for the
 * command {@code vcr zabbix install} configures pass the agent's exact rules and reach vcr. The
 * snippet is used as an operator with vcr elsewhere installs it (its path replaced: here a stub
 * that records its arguments), in a real agent of the sandbox's version (the classic
 * {@code zabbix_agentd} and {@code zabbix_agent2}, each with its snippet) monitored by the sandbox's server:
 * a host-menu script ({@code system.run[CMD]}, waited for) returns the stub's output, and a
 * trigger action ({@code system.run[CMD,nowait]}) starts it when a problem opens.
 */
class AgentServerIT {
    @TempDir
    Path dir;
    AgentDaemon agent;
    ZabbixApi api;
    Path vcr;
    Path ran;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Sandbox s = Sandbox.get();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ran = dir.resolve("ran");
        vcr = Files.createDirectories(dir.resolve("bin")).resolve("vcr");
        Files.writeString(vcr, "#!/bin/sh\nprintf '%s\\n' \"$*\" >>" + ran + "\necho \"stub vcr ran: $*\"\n");
        Files.setPosixFilePermissions(vcr, PosixFilePermissions.fromString("rwxr-xr-x"));
        api = ZabbixApi.builder(URI.create(s.value(Sandbox.ZABBIX_API_URL))).tokenFile(s.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
    }

    /** Starts an agent of {@code flavour} with its shipped snippet, vcr's path replaced by the stub's. */
    private void startAgent(AgentDaemon.Flavour flavour) throws Exception {
        Path snippet = dir.resolve("vcrecovery.conf");
        Files.writeString(snippet, Files.readString(flavour.snippet()).replace(AgentRulesIT.VCR, vcr.toString()));
        agent = AgentDaemon.start(flavour, dir, snippet);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            try {
                cleanups.get(i).run();
            } catch (RuntimeException e) {
                // best effort: the next cleanup still runs
            }
        }
        if (api != null) api.close();
        if (agent != null) agent.close();
    }

    private String hostOnOurAgent() throws Exception {
        String group = api.hostGroupByName(Sandbox.get().value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        String hostId = api.createHost("agent-it-" + suffix, List.of(group), List.of(HostInterface.agent("127.0.0.1", agent.port)), List.of());
        cleanups.add(() -> quietly(() -> api.deleteHosts(List.of(hostId))));
        return hostId;
    }

    private String script(int scope, String command) throws Exception {
        return script(scope, command, Map.of());
    }

    /** A global script running {@code command} on the agent, with {@code extra} API fields (confirmation, manual input). */
    private String script(int scope, String command, Map<String, Object> extra) throws Exception {
        Map<String, Object> p = new java.util.LinkedHashMap<>(Map.of("name", "vcrecovery agent IT " + suffix + " " + scope + " "
                + cleanups.size(), "type", 0, "scope", scope, "execute_on", 0, "command", command, "groupid", 0));
        p.putAll(extra);
        JsonNode r = api.call("script.create", p);
        String id = r.path("scriptids").path(0).asText();
        cleanups.add(() -> quietly(() -> api.call("script.delete", List.of(id))));
        return id;
    }

    @ParameterizedTest
    @EnumSource(AgentDaemon.Flavour.class)
    void aHostMenuScriptWithTheInstalledCommandRunsVcrThroughTheRules(AgentDaemon.Flavour flavour) throws Exception {
        startAgent(flavour);
        String hostId = hostOnOurAgent();
        String scriptId = script(2, vcr + " recover --pending --plan");
        // The server learns of the new host at its next configuration sync.
        String[] value = new String[1];
        // Zabbix 6.0's frontend runs scripts only for a session logged in with a password (a token gets HTTP 500).
        Sandbox s = Sandbox.get();
        try (ZabbixApi user = ZabbixApi.builder(URI.create(s.value(Sandbox.ZABBIX_API_URL)))
                .loginWithPasswordFile(s.value(Sandbox.ZABBIX_USER), s.path(Sandbox.ZABBIX_PASSWORD_FILE)).build()) {
            // Until the server's next configuration sync it answers "Unknown host identifier".
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(org.vcrecovery.zabbix.api.ZabbixApiException.class).until(() -> {
                var r = user.executeScript(scriptId, hostId);
                value[0] = r.value();
                return r.success();
            });
        }
        assertThat(value[0]).isEqualTo("stub vcr ran: recover --pending --plan");
        assertThat(Files.readAllLines(ran)).containsExactly("recover --pending --plan");

        // "approve held recovery": the literal line, with its confirmation (shown by the frontend, not the API)
        String approveId = script(2, vcr + " approve --held", Map.of("confirmation",
                "Approve automatic recovery of held failures on {HOST.NAME}?", "host_access", 3));
        try (ZabbixApi user = login()) {
            var r = user.executeScript(approveId, hostId);
            assertThat(r.success()).as(r.value()).isTrue();
            assertThat(r.value()).isEqualTo("stub vcr ran: approve --held");
        }
        assertThat(agent.executed()).containsExactly(vcr + " recover --pending --plan", vcr + " approve --held");
    }

    private ZabbixApi login() throws Exception {
        Sandbox s = Sandbox.get();
        return ZabbixApi.builder(URI.create(s.value(Sandbox.ZABBIX_API_URL)))
                .loginWithPasswordFile(s.value(Sandbox.ZABBIX_USER), s.path(Sandbox.ZABBIX_PASSWORD_FILE)).build();
    }

    /**
     * Zabbix 7.0's manual input: the menu script offers a strict list of standbys, the server puts
     * the chosen one in the command, the agent runs it through the line {@code vcr zabbix
     * agent-rules} added for it. A value outside the list, with or without shell syntax, runs
     * nothing: refused by the server, and the agent would refuse its line anyway. 6.0 has no manual
     * input (its API refuses the field), which is why install offers no choice there.
     */
    @ParameterizedTest
    @EnumSource(AgentDaemon.Flavour.class)
    void onSevenTheChosenStandbyRunsItsExactLineAndNoOtherValueRunsAnything(AgentDaemon.Flavour flavour) throws Exception {
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        for (String[] rb : new String[][] {{"web", "web-warm"}, {"mail", "mail-warm"}}) {
            Files.writeString(runbooks.resolve(rb[0] + ".yaml"), "service: " + rb[0] + "\nzabbix-host: " + rb[0] + "-host\nprimary:\n"
                    + "  address: 127.0.10.1\nfencing:\n  mode: verify-dead\nstandbys:\n  - name: " + rb[1] + "\n    kind: warm-container\n"
                    + "    backend: lxc\n    address: 127.0.10.2\nchecks:\n  - protocol: tcp\n    port: 8080\ndns:\n  server: 127.0.0.1:53\n"
                    + "  tsig: none\n  zone: example.test\n  name: " + rb[0] + "\n");
        }
        Path shipped = dir.resolve("shipped.conf");
        Files.writeString(shipped, Files.readString(flavour.snippet()).replace(AgentRulesIT.VCR, vcr.toString()));
        Path cfg = Files.writeString(dir.resolve("vcr.yaml"), "runbooks: " + runbooks + "\nstate-dir: " + dir.resolve("state") + "\n");
        org.vcrecovery.it.VcrRun rules = org.vcrecovery.it.VcrRun.of("zabbix", "agent-rules", "--config", cfg.toString(),
                "--snippet", shipped.toString());
        assertThat(rules.exit()).as(rules.err()).isZero();
        Path snippet = Files.writeString(dir.resolve("vcrecovery.conf"), rules.out());
        agent = AgentDaemon.start(flavour, dir, snippet);
        String hostId = hostOnOurAgent();
        Map<String, Object> choice = Map.of("manualinput", 1, "manualinput_prompt", "Standby to recover on ({HOST.NAME})",
                "manualinput_validator_type", 1, "manualinput_validator", "mail-warm,web-warm", "host_access", 3,
                "confirmation", "Recover now, on the chosen standby, every pending vcrecovery problem whose runbook on {HOST.NAME} has that standby?");
        if (!Sandbox.get().value(Sandbox.ZABBIX_VERSION).startsWith("6.")) {
            String scriptId = script(2, vcr + " recover --pending --standby {MANUALINPUT}", choice);
            JsonNode stored = api.call("script.get", Map.of("output", "extend", "scriptids", List.of(scriptId))).path(0);
            assertThat(stored.path("manualinput_validator").asText()).isEqualTo("mail-warm,web-warm");
            Path marker = dir.resolve("marker");
            List<String> refused = new ArrayList<>();
            try (ZabbixApi user = login()) {
                String[] value = new String[1];
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptionsInstanceOf(org.vcrecovery.zabbix.api.ZabbixApiException.class).until(() -> {
                    JsonNode r = user.call("script.execute", Map.of("scriptid", scriptId, "hostid", hostId, "manualinput", "web-warm"));
                    value[0] = r.path("value").asText();
                    return r.path("response").asText().equals("success");
                });
                assertThat(value[0]).isEqualTo("stub vcr ran: recover --pending --standby web-warm");
                for (String hostile : List.of("web-cold", "web-warm; touch " + marker, "web-warm $(touch " + marker + ")",
                        "web-warm\ntouch " + marker, "web-warm --config " + marker, "web-warm,nowait", "*", "")) {
                    try {
                        JsonNode r = user.call("script.execute", Map.of("scriptid", scriptId, "hostid", hostId, "manualinput", hostile));
                        refused.add(hostile + " -> " + r);
                    } catch (org.vcrecovery.zabbix.api.ZabbixApiException e) {
                        // refused by the server: what we want
                    }
                }
            }
            assertThat(refused).as("manual input values the server ran").isEmpty();
            assertThat(Files.readAllLines(ran)).containsExactly("recover --pending --standby web-warm");
            assertThat(agent.executed()).containsExactly(vcr + " recover --pending --standby web-warm");
            assertThat(marker).doesNotExist();
        } else {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> script(2, vcr + " recover --pending --standby web-warm", choice))
                    .isInstanceOf(org.vcrecovery.zabbix.api.ZabbixApiException.class).hasMessageContaining("manualinput");
        }
    }

    @ParameterizedTest
    @EnumSource(AgentDaemon.Flavour.class)
    void aTriggerActionsCommandReachesVcrInTheNowaitForm(AgentDaemon.Flavour flavour) throws Exception {
        startAgent(flavour);
        String hostId = hostOnOurAgent();
        // Unmonitored until the trigger's tag and the action exist: the server's configuration
        // sync could otherwise take the item and trigger before them, accept the value and open
        // the problem with no tag and no action (seen on 7.0 under load: nothing ever ran).
        api.call("host.update", Map.of("hostid", hostId, "status", 1));
        String host = "agent-it-" + suffix;
        api.createTrapperItem(hostId, "agent IT probe", "agent.it", ValueType.UNSIGNED);
        String triggerId = api.createTrigger("agent IT " + suffix, "last(/" + host + "/agent.it)>100", 4, true);
        api.call("trigger.update", Map.of("triggerid", triggerId, "tags", List.of(Map.of("tag", "vcr-agent-it", "value", suffix))));
        String scriptId = script(1, vcr + " recover --pending");
        JsonNode a = api.call("action.create", Map.of("name", "vcrecovery agent IT " + suffix, "eventsource", 0, "status", 0,
                "esc_period", "1h",
                "filter", Map.of("evaltype", 0, "conditions", List.of(Map.of("conditiontype", 26, "operator", 0,
                        "value2", "vcr-agent-it", "value", suffix))),
                "operations", List.of(Map.of("operationtype", 1, "opcommand", Map.of("scriptid", scriptId),
                        "opcommand_hst", List.of(Map.of("hostid", hostId))))));
        String actionId = a.path("actionids").path(0).asText();
        cleanups.add(0, () -> quietly(() -> api.call("action.delete", List.of(actionId))));

        api.call("host.update", Map.of("hostid", hostId, "status", 0));

        ZabbixSender sender = ZabbixSender.of(Sandbox.get().address(Sandbox.ZABBIX_TRAPPER));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                sender.send(List.of(new SenderValue(host, "agent.it", "500"))).processed() == 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.exists(ran) && Files.readAllLines(ran).contains("recover --pending"));
        assertThat(agent.executed()).containsOnly(vcr + " recover --pending");
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private static void quietly(Call c) {
        try {
            c.run();
        } catch (Exception e) {
            // cleanup: nothing more to do
        }
    }
}
