package org.vcrecovery.vcr.zabbix;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code vcr zabbix install} against a scripted Zabbix API (WireMock on a loopback port): the 7.x
 * behaviour we cannot run here (Bearer auth, EnableGlobalScripts), failures, dry runs and the
 * up-to-date path. The real 6.0 server is exercised by {@code InstallIT}.
 */
class InstallCommandTest extends ScriptedInstall {
    private static final ObjectMapper JSON = new ObjectMapper();

    static void api(String method, String resultJson) {
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo(method)))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"result\":" + resultJson + ",\"id\":1}")));
    }

    static void apiError(String method, String message, String data) throws Exception {
        String error = JSON.writeValueAsString(Map.of("code", -32602, "message", message, "data", data));
        stubFor(post(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo(method)))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"error\":" + error + ",\"id\":1}")));
    }

    /** A server with none of our objects. */
    static void emptyServer(String version) {
        api("apiinfo.version", "\"" + version + "\"");
        api("user.get", "[{\"userid\":\"1\"}]");
        api("template.get", "[]");
        api("configuration.import", "true");
        api("usermacro.get", "[]");
        api("usermacro.createglobal", "{\"globalmacroids\":[\"9\"]}");
        api("script.get", "[]");
        api("script.create", "{\"scriptids\":[\"21\"]}");
        api("action.get", "[]");
        api("action.create", "{\"actionids\":[\"3\"]}");
    }

    static void verifyNoWrites() {
        for (String m : List.of("configuration.import", "script.create", "script.update", "script.delete", "action.create",
                "action.update", "usermacro.createglobal", "usermacro.updateglobal")) {
            verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo(m))));
        }
    }

    @Test
    void onZabbix70ItUsesBearerAuthTemplateGroupsAndSaysToEnableGlobalScripts() {
        emptyServer("7.0.5");
        assertThat(run()).as(console.err()).isZero();
        assertThat(console.out()).contains(
                "template vcrecovery KVM host: created\n",
                "script vcrecovery: recover pending now: created\n",
                "macro {$VCR.LISTENER.ADDRESSES}: created (127.0.0.1)\n",
                "action vcrecovery: recover on VM down: created\n",
                "action vcrecovery: recover on host down: created\n");
        assertThat(console.out()).containsPattern("note: Zabbix 7\\.0\\.5: .*EnableGlobalScripts=1");
        verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("script.create")))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.auth", absent())));
        verify(4, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("configuration.import")))
                .withRequestBody(matchingJsonPath("$.params.rules.template_groups.createMissing", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.params.rules.items.deleteMissing", equalTo("false"))));
        verify(5, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("action.create")))
                .withRequestBody(matchingJsonPath("$.params.operations[0].opcommand.scriptid", equalTo("21"))));
    }

    @Test
    void onZabbix60TheTokenGoesInTheBodyAndThereIsNoGlobalScriptsNote() {
        emptyServer("6.0.14");
        assertThat(run()).as(console.err()).isZero();
        assertThat(console.out()).doesNotContain("EnableGlobalScripts");
        verify(4, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("configuration.import")))
                .withRequestBody(matchingJsonPath("$.auth", equalTo(TOKEN)))
                .withRequestBody(matchingJsonPath("$.params.rules.groups.createMissing", equalTo("true"))));
    }

    @Test
    void aFailedImportIsOneClearLineAndNothingAfterItRuns() throws Exception {
        emptyServer("6.0.14");
        apiError("configuration.import", "Invalid params.", "Invalid parameter \"/1/uuid\": must be\nunique.");
        assertThat(run()).as(console.err()).isEqualTo(5);
        assertThat(console.err().lines().toList()).containsExactly(
                "vcr: template import of vcrecovery_kvm_host.yaml failed: Invalid params.: Invalid parameter \"/1/uuid\": must be unique.");
        assertThat(console.out()).isEmpty();
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("script.create"))));
    }

    @Test
    void aRejectedTokenExitsWithTheAuthCode() throws Exception {
        api("apiinfo.version", "\"6.0.14\"");
        apiError("user.get", "Not authorised.", "");
        assertThat(run()).as(console.err()).isEqualTo(4);
        assertThat(console.err()).startsWith("vcr: Zabbix refused our credentials").doesNotContain(TOKEN);
    }

    @Test
    void aUserAndPasswordFileLogInAndTheSessionIsUsed() throws Exception {
        emptyServer("6.0.14");
        api("user.login", "\"5f0c0ffee5f0c0ffee5f0c0ffee5f0c0\"");
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, "zabbix-secret\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("r--------"));
        int exit = console.vcr("zabbix", "install", "--url", url, "--user", "Admin", "--password-file", passwordFile.toString(),
                "--templates", TEMPLATES.toString(), "--dry-run");
        assertThat(exit).as(console.err()).isZero();
        verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("user.login")))
                .withRequestBody(matchingJsonPath("$.params.password", equalTo("zabbix-secret"))));
        verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("template.get")))
                .withRequestBody(matchingJsonPath("$.auth", equalTo("5f0c0ffee5f0c0ffee5f0c0ffee5f0c0"))));
        assertThat(console.out() + console.err()).doesNotContain("zabbix-secret");
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedBeforeAnyRequest() throws Exception {
        emptyServer("6.0.14");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run()).isEqualTo(2);
        assertThat(console.err()).contains("--token-file", "chmod 600").doesNotContain(TOKEN);
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")));
    }

    @Test
    void tokenAndUserTogetherAreAUsageError() {
        assertThat(run("--user", "Admin", "--password-file", tokenFile.toString())).isEqualTo(2);
        assertThat(console.err()).contains("mutually exclusive");
    }

    @Test
    void withoutTemplatesItFindsZabbixTemplatesNextToItsInstallation() throws Exception {
        // From target/classes (a checkout) the tree's top holds zabbix-templates/; in the
        // distribution lib/'s parent does.
        assertThat(InstallCommand.defaultTemplates().toRealPath()).isEqualTo(TEMPLATES.toRealPath());
    }

    @Test
    void aFrontendUrlWithoutTrailingSlashReachesTheApiBelowIt(WireMockRuntimeInfo wm) {
        emptyServer("6.0.14");
        url = wm.getHttpBaseUrl();
        assertThat(run("--dry-run")).as(console.err()).isZero();
        verify(postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.method", equalTo("template.get"))));
    }

    @Test
    void aServerThatDoesNotListenExitsUnreachable() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        url = "http://127.0.0.1:" + closed + "/api_jsonrpc.php";
        assertThat(run()).as(console.err()).isEqualTo(3);
        assertThat(console.err().lines().toList()).hasSize(1).first().asString().startsWith("vcr: Zabbix API did not answer");
    }

    @Test
    void aDryRunListsWhatItWouldDoAndWritesNothing() {
        emptyServer("6.0.14");
        assertThat(run("--dry-run")).as(console.err()).isZero();
        List<String> lines = console.out().lines().filter(l -> !l.startsWith("note: ")).toList();
        assertThat(lines).hasSize(23).allMatch(l -> l.matches(".*: would create( \\(127\\.0\\.0\\.1\\))?"));
        verifyNoWrites();
    }

    @Test
    void whenEverythingMatchesEveryObjectIsUpToDateAndNothingIsWritten() throws Exception {
        upToDateServer("6.0.14");
        assertThat(run("--json")).as(console.err()).isZero();
        JsonNode result = JSON.readTree(console.out());
        assertThat(result.path("objects")).hasSize(23).allSatisfy(o ->
                assertThat(o.path("outcome").asText()).as(o.toString()).isEqualTo("up_to_date"));
        verifyNoWrites();
    }

    @Test
    void aScriptAnOperatorChangedIsUpdatedBackAndOnlyThatOne() throws Exception {
        upToDateServer("6.0.14");
        ArrayNode scripts = existingScripts(false);
        ((ObjectNode) scripts.get(0)).put("command", "/usr/bin/true");
        api("script.get", scripts.toString());
        api("script.update", "{\"scriptids\":[\"100\"]}");
        assertThat(run()).as(console.err()).isZero();
        assertThat(console.out()).contains("script vcrecovery: recover pending now: updated (command)\n",
                "script vcrecovery: show pending plan: up to date\n", "action vcrecovery: recover on VM down: up to date\n");
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("script.update")))
                .withRequestBody(matchingJsonPath("$.params.scriptid", equalTo("100")))
                .withRequestBody(matchingJsonPath("$.params.command", equalTo(
                        "/opt/vcrecovery/bin/vcr recover --pending"))));
    }

    @Test
    void aTemplateWhoseDigestDiffersIsImportedAgain() throws Exception {
        upToDateServer("6.0.14");
        api("configuration.import", "true");
        ArrayNode templates = existingTemplates();
        ((ObjectNode) templates.get(2)).put("description", "edited\n\nvcrecovery template digest: 0000000000000000");
        api("template.get", templates.toString());
        assertThat(run()).as(console.err()).isZero();
        assertThat(console.out()).contains("template vcrecovery service VM: updated (content changed)\n",
                "template vcrecovery KVM host: up to date\n");
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("configuration.import"))));
    }

    @Test
    void withAStandbyHostTheActionsRunOnItsAgentAndTheAllowKeyIsNoted() {
        emptyServer("6.0.14");
        api("host.get", "[{\"hostid\":\"10500\",\"host\":\"standby-1\"}]");
        assertThat(run("--standby-host", "standby-1")).as(console.err()).isZero();
        assertThat(console.out()).contains(
                "note: the agent of standby-1 must allow exactly \"/opt/vcrecovery/bin/vcr recover --pending\" (its --plan form,"
                        + " \"/opt/vcrecovery/bin/vcr approve --held\", \"/opt/vcrecovery/bin/vcr rebalance --pending\" with its --plan form,"
                        + " and for pools \"/opt/vcrecovery/bin/vcr pool grow --pending\", its shrink form and pool status): install"
                        + " recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf and restart it");
        verify(4, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("action.create")))
                .withRequestBody(matchingJsonPath("$.params.operations[0].opcommand_hst[0].hostid", equalTo("10500"))));
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("action.create")))
                .withRequestBody(matchingJsonPath("$.params.name", equalTo(ActionSpecs.REBALANCE)))
                .withRequestBody(matchingJsonPath("$.params.operations[0].opcommand_hst[0].hostid", equalTo("0"))));
        verify(5, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("script.create")))
                .withRequestBody(matchingJsonPath("$.params.scope", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.params.execute_on", equalTo("0"))));
    }

    @Test
    void theMenuScriptsOfEarlierVersionsThatRanOnTheServerAreDeleted() throws Exception {
        upToDateServer("6.0.14");
        ArrayNode scripts = existingScripts(false);
        scripts.addObject().put("scriptid", "90").put("name", "vcrecovery: fail back")
                .put("command", "/opt/vcrecovery/bin/vcr recover --trigger-host '{HOST.HOST}' --failback --plan").put("execute_on", "2");
        api("script.get", scripts.toString());
        api("script.delete", "{\"scriptids\":[\"90\"]}");
        assertThat(run()).as(console.err()).isZero();
        assertThat(console.out()).contains("script vcrecovery: fail back: deleted (replaced: it ran vcr on the server with the host's name"
                + " on the command line)\n");
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("script.delete")))
                .withRequestBody(matchingJsonPath("$.params[0]", equalTo("90"))));
    }

    @Test
    void listenerAddressesUpdateTheGlobalMacroAndWithoutThemItIsKept() throws Exception {
        upToDateServer("6.0.14");
        api("usermacro.updateglobal", "{\"globalmacroids\":[\"9\"]}");
        assertThat(run()).as(console.err()).isZero();
        assertThat(console.out()).contains("macro {$VCR.LISTENER.ADDRESSES}: up to date\n").doesNotContain("note: trapper items");
        verifyNoWrites();

        assertThat(run("--listener-addresses", "192.0.2.10,192.0.2.64/28, kvm2.example.net")).as(console.err()).isZero();
        assertThat(console.out()).contains("macro {$VCR.LISTENER.ADDRESSES}: updated (192.0.2.10 -> 192.0.2.10,192.0.2.64/28, kvm2.example.net)\n");
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("usermacro.updateglobal")))
                .withRequestBody(matchingJsonPath("$.params.globalmacroid", equalTo("9")))
                .withRequestBody(matchingJsonPath("$.params.value", equalTo("192.0.2.10,192.0.2.64/28, kvm2.example.net"))));
    }

    @Test
    void listenerAddressesWithOtherCharactersAreRefusedBeforeAnyRequest() {
        emptyServer("6.0.14");
        assertThat(run("--listener-addresses", "192.0.2.10;{$X}")).isEqualTo(2);
        assertThat(console.err()).contains("--listener-addresses '192.0.2.10;{$X}' must be addresses");
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")));
    }

    @Test
    void anUnknownStandbyHostIsAUsageErrorBeforeAnythingIsWritten() {
        emptyServer("6.0.14");
        api("host.get", "[]");
        assertThat(run("--standby-host", "nope")).isEqualTo(2);
        assertThat(console.err()).contains("standby host nope not found in Zabbix");
        verifyNoWrites();
    }

    @Test
    void aVcrPathWithShellCharactersIsRefused() {
        emptyServer("6.0.14");
        assertThat(run("--vcr-path", "/opt/vcr;rm -rf /")).isEqualTo(2);
        assertThat(console.err()).contains("--vcr-path");
        verifyNoWrites();
    }

    /** A runbook directory with runbooks web (web-warm, web-cold) and mail (mail-warm). */
    Path runbooks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("runbooks"));
        for (String[] rb : new String[][] {{"web", "web-warm", "web-cold"}, {"mail", "mail-warm", null}}) {
            StringBuilder sb = new StringBuilder("service: " + rb[0] + "\nzabbix-host: " + rb[0] + "-host\nprimary:\n  address: 127.0.10.1\n"
                    + "fencing:\n  mode: verify-dead\nstandbys:\n");
            for (int i = 1; i < 3; i++) {
                if (rb[i] != null) sb.append("  - name: ").append(rb[i]).append("\n    kind: warm-container\n    backend: lxc\n    address: 127.0.10.")
                        .append(i + 1).append('\n');
            }
            sb.append("checks:\n  - protocol: tcp\n    port: 8080\ndns:\n  server: 127.0.0.1:53\n  tsig: none\n  zone: example.test\n  name: ")
                    .append(rb[0]).append('\n');
            Files.writeString(dir.resolve(rb[0] + ".yaml"), sb.toString());
        }
        return dir;
    }

    @Test
    void onZabbix70WithRunbooksTheMenuOffersTheirStandbysAsAStrictListAndSaysToAddTheAgentRules() throws Exception {
        emptyServer("7.0.9");
        assertThat(run("--runbooks", runbooks().toString())).as(console.err()).isZero();
        assertThat(console.out()).contains("script vcrecovery: recover pending now on a chosen standby: created\n",
                "script vcrecovery: approve held recovery: created\n",
                "note: the menu offers the standbys mail-warm, web-cold, web-warm: on each recovery VM, run `vcr zabbix agent-rules");
        verify(1, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("script.create")))
                .withRequestBody(matchingJsonPath("$.params.name", equalTo(ScriptSpecs.RECOVER_ON)))
                .withRequestBody(matchingJsonPath("$.params.command", equalTo("/opt/vcrecovery/bin/vcr recover --pending --standby {MANUALINPUT}")))
                .withRequestBody(matchingJsonPath("$.params.manualinput", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.params.manualinput_validator_type", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.params.manualinput_validator", equalTo("mail-warm,web-cold,web-warm"))));
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php"))
                .withRequestBody(matchingJsonPath("$.method", equalTo("script.create")))
                .withRequestBody(matchingJsonPath("$.params.name", equalTo(ScriptSpecs.RECOVER_NOW)))
                .withRequestBody(matchingJsonPath("$.params.manualinput")));
    }

    @Test
    void onZabbix60WithRunbooksNoScriptCarriesManualInputAndTheNoteSaysWhy() throws Exception {
        emptyServer("6.0.14");
        assertThat(run("--runbooks", runbooks().toString())).as(console.err()).isZero();
        assertThat(console.out()).doesNotContain(ScriptSpecs.RECOVER_ON)
                .contains("note: Zabbix 6.0.14 has no manual input for scripts (7.0 and later): the menu offers no standby choice");
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")).withRequestBody(matchingJsonPath("$.params.manualinput")));
    }

    @Test
    void aRunbookDirectoryWithABrokenRunbookIsRefusedBeforeAnyRequest() throws Exception {
        Path dir = runbooks();
        Files.writeString(dir.resolve("bad.yaml"), "service: bad\n");
        api("apiinfo.version", "\"7.0.9\"");
        assertThat(run("--runbooks", dir.toString())).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: runbook " + dir.resolve("bad.yaml") + " has problems");
        verify(0, postRequestedFor(urlEqualTo("/api_jsonrpc.php")));
    }

    // ---------------------------------------------------------------- an up-to-date server

    static void upToDateServer(String version) throws Exception {
        api("apiinfo.version", "\"" + version + "\"");
        api("user.get", "[{\"userid\":\"1\"}]");
        api("template.get", existingTemplates().toString());
        api("script.get", existingScripts(false).toString());
        api("action.get", existingActions().toString());
        api("usermacro.get", "[{\"globalmacroid\":\"9\",\"macro\":\"{$VCR.LISTENER.ADDRESSES}\",\"value\":\"192.0.2.10\"}]");
    }

    static ArrayNode existingTemplates() {
        ArrayNode out = JSON.createArrayNode();
        int id = 10500;
        for (TemplateBundle.TemplateFile f : TemplateBundle.load(TEMPLATES).files()) {
            for (TemplateBundle.Template t : f.templates()) {
                ObjectNode o = out.addObject();
                o.put("templateid", String.valueOf(id++)).put("host", t.name())
                        .put("description", "text\n\n" + TemplateBundle.DIGEST_PREFIX + t.digest());
                t.counts().forEach((k, v) -> {
                    if (k.equals("macros") || k.equals("valuemaps")) {
                        ArrayNode a = o.putArray(k);
                        for (int i = 0; i < v; i++) a.addObject().put("id", String.valueOf(i));
                    } else {
                        o.put(k, String.valueOf(v));
                    }
                });
            }
        }
        return out;
    }

    static ArrayNode existingScripts(boolean onAgent) {
        ArrayNode out = JSON.createArrayNode();
        int id = 100;
        for (ScriptSpecs.Spec s : ScriptSpecs.all(InstallCommand.DEFAULT_VCR, onAgent)) {
            ObjectNode o = JSON.valueToTree(s.create());
            o.put("scriptid", String.valueOf(id++)).put("timeout", "30s");
            out.add(o);
        }
        return out;
    }

    static ArrayNode existingActions() {
        ArrayNode out = JSON.createArrayNode();
        // The ids existingScripts gives: 100 + the script's place in ScriptSpecs.all.
        List<String> scripts = ScriptSpecs.all(InstallCommand.DEFAULT_VCR, false).stream().map(ScriptSpecs.Spec::name).toList();
        int i = 0;
        for (ActionSpecs.Spec a : ActionSpecs.all()) {
            i++;
            ObjectNode o = JSON.valueToTree(ActionSpecs.fields(a, String.valueOf(100 + scripts.indexOf(a.scriptName())), "0"));
            o.put("actionid", String.valueOf(i)).put("name", a.name());
            out.add(o);
        }
        return out;
    }
}
