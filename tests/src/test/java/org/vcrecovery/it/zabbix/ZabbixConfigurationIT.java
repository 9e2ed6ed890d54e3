package org.vcrecovery.it.zabbix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.Action;
import org.vcrecovery.zabbix.api.ActionSpec;
import org.vcrecovery.zabbix.api.ApiToken;
import org.vcrecovery.zabbix.api.GeneratedToken;
import org.vcrecovery.zabbix.api.ImportRules;
import org.vcrecovery.zabbix.api.Item;
import org.vcrecovery.zabbix.api.Script;
import org.vcrecovery.zabbix.api.ScriptResult;
import org.vcrecovery.zabbix.api.Template;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * The configuration side of the API client against the sandbox's real Zabbix 6.0: a YAML
 * template imported (twice: the rules update in place), global scripts created, updated and run
 * on the sandbox's agent, a recovery action created and updated, an API token generated and used.
 * Everything created is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZabbixConfigurationIT {
    private final Sandbox sandbox = Sandbox.get();
    private final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final List<String> templates = new ArrayList<>();
    private final List<String> scripts = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private ZabbixApi zabbix;

    @BeforeAll
    void connect() throws Exception {
        zabbix = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .loginWithPasswordFile(sandbox.value(Sandbox.ZABBIX_USER), sandbox.path(Sandbox.ZABBIX_PASSWORD_FILE)).build();
    }

    @AfterAll
    void deleteEverything() throws Exception {
        if (zabbix == null) return;
        zabbix.deleteActions(actions);
        zabbix.deleteScripts(scripts);
        zabbix.deleteTemplates(templates);
        zabbix.deleteTokens(tokens);
        zabbix.close();
    }

    @Test
    void aYamlTemplateIsImportedAndReimportedInPlace() throws Exception {
        String name = "zclient-it-template-" + suffix;
        String templateUuid = uuid();
        String itemUuid = uuid();
        zabbix.importConfiguration(template(name, templateUuid, itemUuid, "first"), ImportRules.defaults());
        Template t = zabbix.templateByName(name).orElseThrow();
        templates.add(t.templateId());

        zabbix.importConfiguration(template(name, templateUuid, itemUuid, "second"), ImportRules.defaults());

        assertThat(zabbix.templateByName(name).orElseThrow().templateId()).isEqualTo(t.templateId());
        assertThat(zabbix.items(t.templateId())).extracting(Item::key, Item::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("zclient.template.probe", "probe second"));
    }

    @Test
    void aGlobalScriptIsCreatedUpdatedAndRunOnTheAgent() throws Exception {
        String agentHostId = zabbix.hostByName(sandbox.value(Sandbox.ZABBIX_AGENT_HOST)).orElseThrow().hostId();
        Script script = new Script(null, "zclient-it-script-" + suffix, "echo zclient-$((6*7))", Script.TYPE_SCRIPT,
                Script.SCOPE_MANUAL_HOST, Script.ON_AGENT, "created by ZabbixConfigurationIT");
        String id = zabbix.createScript(script);
        scripts.add(id);

        ScriptResult first = zabbix.executeScript(id, agentHostId);
        assertThat(first.success()).isTrue();
        assertThat(first.value().strip()).isEqualTo("zclient-42");

        Script updated = new Script(id, script.name(), "echo updated-" + suffix, script.type(), script.scope(),
                script.executeOn(), script.description());
        zabbix.updateScript(updated);
        assertThat(zabbix.scriptByName(script.name())).contains(updated);
        assertThat(zabbix.executeScript(id, agentHostId).value().strip()).isEqualTo("updated-" + suffix);
    }

    @Test
    void aRecoveryActionIsCreatedAndUpdated() throws Exception {
        String scriptId = zabbix.createScript(Script.forActions("zclient-it-recover-" + suffix,
                "echo vcr recover {HOST.HOST} {EVENT.ID}", Script.ON_AGENT, "action script"));
        scripts.add(scriptId);
        ActionSpec spec = new ActionSpec("zclient-it-action-" + suffix, true, "1m",
                List.of(ActionSpec.Condition.notSuppressed(), ActionSpec.Condition.tagEquals("vcr-service", "web-" + suffix)),
                List.of(ActionSpec.RemoteCommand.onEventHost(scriptId)));
        String id = zabbix.createAction(spec);
        actions.add(id);
        assertThat(zabbix.actionByName(spec.name())).contains(new Action(id, spec.name(), 0, true, "1m"));

        zabbix.updateAction(id, new ActionSpec(spec.name(), false, "2m", spec.conditions(), spec.operations()));
        Action after = zabbix.actionByName(spec.name()).orElseThrow();
        assertThat(after.enabled()).isFalse();
        assertThat(after.escPeriod()).isEqualTo("2m");
    }

    @Test
    void aGeneratedTokenAuthenticatesANewClient() throws Exception {
        GeneratedToken token = zabbix.createToken("zclient-it-token-" + suffix, null);
        tokens.add(token.tokenId());
        assertThat(token.toString()).doesNotContain(token.token());
        assertThat(zabbix.tokens()).extracting(ApiToken::name).contains("zclient-it-token-" + suffix);

        try (ZabbixApi byToken = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .token(token.token()).build()) {
            byToken.authenticate();
            assertThat(byToken.hostByName(sandbox.value(Sandbox.ZABBIX_AGENT_HOST))).isPresent();
        }
    }

    private static String uuid() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String template(String name, String templateUuid, String itemUuid, String itemName) {
        return "zabbix_export:\n"
                + "  version: '6.0'\n"
                + "  date: '2026-11-22T00:00:00Z'\n"
                + "  groups:\n"
                + "    - uuid: 7df96b18c230490a9a0a9e2307226338\n"
                + "      name: Templates\n"
                + "  templates:\n"
                + "    - uuid: " + templateUuid + "\n"
                + "      template: " + name + "\n"
                + "      name: " + name + "\n"
                + "      groups:\n"
                + "        - name: Templates\n"
                + "      items:\n"
                + "        - uuid: " + itemUuid + "\n"
                + "          name: 'probe " + itemName + "'\n"
                + "          type: TRAP\n"
                + "          key: zclient.template.probe\n"
                + "          value_type: TEXT\n";
    }
}
