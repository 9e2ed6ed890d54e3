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
        JsonNode r = api.call("script.create", Map.of("name", "vcrecovery agent IT " + suffix + " " + scope, "type", 0,
                "scope", scope, "execute_on", 0, "command", command, "groupid", 0));
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
