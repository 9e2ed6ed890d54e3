package org.vcrecovery.it.zabbix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.sender.SenderResult;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * {@code vcr zabbix install} against the sandbox's real Zabbix 6.0: every object it owns exists
 * as specified afterwards; objects an operator broke are created or updated back; a second run
 * says "up to date" for everything and leaves the API state byte-for-byte the same; a host
 * linked to the KVM template gets per-VM items from a discovery value sent over the trapper,
 * a VM shut off raises a tagged VM-down problem (unless its per-VM context macro says off is
 * fine), and the action runs {@code vcr recover} with that problem's event, host and VM.
 */
class InstallIT {
    static final String KVM = "vcrecovery KVM host";
    static final String SERVICE = "vcrecovery service VM";
    static final String STANDBY = "vcrecovery standby VM";
    static final String POOL = "vcrecovery pool";
    static final List<String> SCRIPTS = List.of("vcrecovery: recover pending now", "vcrecovery: show pending plan",
            "vcrecovery: recover VM (action)", "vcrecovery: recover host (action)", "vcrecovery: approve held recovery",
            "vcrecovery: rebalance now", "vcrecovery: show rebalance plan", "vcrecovery: rebalance (action)",
            "vcrecovery: grow pool (action)", "vcrecovery: shrink pool (action)", "vcrecovery: pool status",
            "vcrecovery: grow pools with a grow problem now", "vcrecovery: shrink pools with a shrink problem now");
    static final String CHOICE = "vcrecovery: recover pending now on a chosen standby";
    static final List<String> OBSOLETE = List.of("vcrecovery: recover now", "vcrecovery: show plan", "vcrecovery: fail back");
    static final List<String> ACTIONS = List.of("vcrecovery: recover on VM down", "vcrecovery: recover on host down",
            "vcrecovery: rebalance on CPU high", "vcrecovery: grow pool", "vcrecovery: shrink pool");

    static Sandbox sandbox;
    static ZabbixApi api;
    static final List<String> hostsToDelete = new ArrayList<>();

    static List<String> previousInstall;

    @BeforeAll
    static void connect() throws Exception {
        sandbox = Sandbox.get();
        api = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .tokenFile(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
        previousInstall = previousInstall(api);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (api == null) return;
        try {
            if (!hostsToDelete.isEmpty()) api.deleteHosts(hostsToDelete);
        } finally {
            restore(previousInstall);
            api.close();
        }
    }

    /**
     * The options of the install that is in the shared Zabbix now (another test, e.g. the drill,
     * may have installed with its own --vcr-path and --standby-host), read back from the action
     * script; null when there is none. Scripts and actions are singletons by name, so this test
     * puts them back as it found them when it ends.
     */
    static List<String> previousInstall(ZabbixApi api) throws Exception {
        JsonNode script = api.call("script.get", Map.of("output", List.of("command", "execute_on"),
                "filter", Map.of("name", List.of("vcrecovery: recover host (action)"))));
        JsonNode action = api.call("action.get", Map.of("output", List.of("actionid"), "selectOperations", "extend",
                "filter", Map.of("name", List.of("vcrecovery: recover on host down"))));
        if (script.isEmpty() || action.isEmpty()) return null;
        String command = script.path(0).path("command").asText();
        int cut = command.indexOf(" recover ");
        if (cut < 0) return null;
        List<String> options = new ArrayList<>(List.of("--vcr-path", command.substring(0, cut)));
        String hostId = action.path(0).path("operations").path(0).path("opcommand_hst").path(0).path("hostid").asText("0");
        if (!hostId.equals("0")) {
            JsonNode host = api.call("host.get", Map.of("output", List.of("host"), "hostids", List.of(hostId)));
            if (!host.isEmpty()) options.addAll(List.of("--standby-host", host.path(0).path("host").asText()));
        }
        return options;
    }

    static void restore(List<String> options) {
        if (options == null) return;
        VcrRun r = install(options.toArray(String[]::new));
        assertThat(r.exit()).as("restoring the previous install %s: %s", options, r.err()).isZero();
    }

    static VcrRun install(String... extra) {
        List<String> args = new ArrayList<>(List.of("zabbix", "install",
                "--url", sandbox.value(Sandbox.ZABBIX_API_URL),
                "--token-file", sandbox.value(Sandbox.ZABBIX_TOKEN_FILE),
                "--templates", repo().resolve("zabbix-templates").toString()));
        args.addAll(List.of(extra));
        return VcrRun.of(args.toArray(String[]::new));
    }

    static Path repo() {
        return Path.of(System.getProperty("vcr.repo", "..")).toAbsolutePath().normalize();
    }

    @Test
    void installCreatesEverythingRepairsDriftAndASecondRunChangesNothing() throws Exception {
        breakSomething();

        VcrRun first = install();
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(objectLines(first)).as(first.out()).hasSize(23)
                .allMatch(l -> l.matches("(template|script|action|macro) [{v].*: (created|updated|up to date)( \\(.*\\))?"))
                .contains("script vcrecovery: show pending plan: created",
                        "script vcrecovery: recover pending now: updated (command)",
                        "template vcrecovery service VM: updated (content changed)");
        assertThat(api.call("script.get", Map.of("output", List.of("name"), "filter", Map.of("name", OBSOLETE))))
                .as("the server-side menu scripts of earlier versions are gone").isEmpty();

        assertTemplates();
        Map<String, JsonNode> scripts = assertScripts();
        assertActions(scripts);

        String before = snapshot();
        VcrRun second = install();
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(objectLines(second)).hasSize(23).allMatch(l -> l.endsWith(": up to date"), "every object up to date");
        assertThat(snapshot()).as("API state after the second run").isEqualTo(before);

        VcrRun dry = install("--dry-run", "--json");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("\"outcome\":\"up_to_date\"").doesNotContain("would");
    }

    /** The lines naming objects (the notes after them left out). */
    static List<String> objectLines(VcrRun r) {
        return r.lines().stream().filter(l -> !l.startsWith("note: ")).toList();
    }

    /** What an operator might do: delete a script, edit another, edit a template. */
    static void breakSomething() throws Exception {
        JsonNode existing = api.call("script.get", Map.of("output", List.of("scriptid", "name"),
                "filter", Map.of("name", List.of("vcrecovery: show pending plan", "vcrecovery: recover pending now"))));
        if (existing.size() < 2) {
            // A fresh server: create what the drift below needs.
            VcrRun r = install();
            assertThat(r.exit()).as(r.err()).isZero();
            existing = api.call("script.get", Map.of("output", List.of("scriptid", "name"),
                    "filter", Map.of("name", List.of("vcrecovery: show pending plan", "vcrecovery: recover pending now"))));
        }
        for (JsonNode s : existing) {
            if (s.path("name").asText().equals("vcrecovery: show pending plan")) {
                api.call("script.delete", List.of(s.path("scriptid").asText()));
            } else {
                api.call("script.update", Map.of("scriptid", s.path("scriptid").asText(), "command", "/bin/true"));
            }
        }
        String serviceId = api.templateByName(SERVICE).orElseThrow().templateId();
        api.call("template.update", Map.of("templateid", serviceId, "description", "edited by an operator"));
    }

    static void assertTemplates() throws Exception {
        JsonNode ts = api.call("template.get", Map.of("output", List.of("host", "description"),
                "filter", Map.of("host", List.of(KVM, SERVICE, STANDBY, POOL)),
                "selectItems", List.of("key_", "type", "value_type", "description"),
                "selectDiscoveries", List.of("key_", "type"),
                "selectDashboards", List.of("name"), "selectGroups", List.of("name"),
                "selectMacros", List.of("macro", "description"),
                "selectTriggers", List.of("description", "priority")));
        assertThat(ts).hasSize(4);
        for (JsonNode t : ts) {
            assertThat(t.path("description").asText()).contains("vcrecovery template digest: ");
            assertThat(t.path("dashboards")).as(t.path("host").asText()).hasSize(1);
            assertThat(t.path("groups").path(0).path("name").asText()).isEqualTo("Templates/vcrecovery");
            t.path("items").forEach(i -> assertThat(i.path("description").asText()).isNotBlank());
            t.path("macros").forEach(m -> assertThat(m.path("description").asText()).isNotBlank());
        }
        JsonNode pool = byHost(ts, POOL);
        assertThat(keys(pool.path("items"), "key_")).contains("vcr.pool.samples", "vcr.pool.load", "vcr.pool.load.avg",
                "vcr.pool.changed", "vcr.pool.active", "vcr.pool.report");
        assertThat(keys(pool.path("discoveries"), "key_")).containsExactly("vcr.pool.members");
        assertThat(pool.path("discoveries").path(0).path("type").asText()).isEqualTo("18"); // dependent on the samples
        JsonNode kvm = byHost(ts, KVM);
        assertThat(keys(kvm.path("items"), "key_")).contains("vcr.listener.traps.received", "vcr.listener.values.sent",
                "vcr.listener.values.dropped", "vcr.listener.spool.bytes", "vcr.listener.last.event.age",
                "vcr.trap.unknown", "icmpping", "zabbix[host,agent,available]");
        assertThat(keys(kvm.path("discoveries"), "key_")).containsExactly("vcr.vm.discovery");
        assertThat(kvm.path("discoveries").path(0).path("type").asText()).isEqualTo("2"); // trapper
        assertThat(kvm.path("dashboards").path(0).path("name").asText()).isEqualTo("vcrecovery: KVM host");
        assertThat(keys(byHost(ts, SERVICE).path("items"), "key_"))
                .contains("net.tcp.service[http,{$VCR.SERVICE.ADDRESS},{$VCR.HTTP.PORT}]",
                        "net.tcp.service[smtp,{$VCR.SERVICE.ADDRESS},{$VCR.SMTP.PORT}]",
                        "net.tcp.service[ftp,{$VCR.SERVICE.ADDRESS},{$VCR.FTP.PORT}]",
                        "net.tcp.service[ssh,{$VCR.SERVICE.ADDRESS},{$VCR.SSH.PORT}]");
        assertThat(keys(byHost(ts, STANDBY).path("items"), "key_"))
                .contains("vcr.containers.running", "system.cpu.util", "vm.memory.size[pavailable]");

        String kvmId = api.templateByName(KVM).orElseThrow().templateId();
        JsonNode prototypes = api.call("itemprototype.get", Map.of("output", List.of("key_", "value_type", "valuemapid"),
                "templateids", List.of(kvmId)));
        assertThat(keys(prototypes, "key_")).containsExactlyInAnyOrder(
                "vcr.vm.state[{#VM.NAME}]", "vcr.vm.cpu[{#VM.NAME}]", "vcr.vm.event[{#VM.NAME}]");
        JsonNode triggerPrototypes = api.call("triggerprototype.get", Map.of("output", List.of("description", "priority"),
                "templateids", List.of(kvmId), "selectTags", "extend", "expandExpression", true));
        assertThat(triggerPrototypes).hasSize(3);
        int vmDown = 0;
        for (JsonNode tp : triggerPrototypes) {
            Map<String, String> tags = tags(tp);
            assertThat(tags).as(tp.path("description").asText()).containsEntry("vm", "{#VM.NAME}").containsKey("vcrecovery");
            if ("vm-down".equals(tags.get("vcrecovery"))) vmDown++;
        }
        assertThat(vmDown).isEqualTo(2);
        JsonNode hostDown = api.call("trigger.get", Map.of("output", List.of("description"), "templateids", List.of(kvmId),
                "selectTags", "extend", "filter", Map.of("priority", 5)));
        assertThat(hostDown).as("host-down triggers: ICMP, and the fast port-and-heartbeat one").hasSize(2)
                .allSatisfy(t -> assertThat(tags(t)).containsEntry("vcrecovery", "host-down"));
        JsonNode dependents = api.call("trigger.get", Map.of("output", List.of("description"),
                "templateids", List.of(api.templateByName(SERVICE).orElseThrow().templateId()),
                "selectDependencies", List.of("description"), "filter", Map.of("priority", 3)));
        assertThat(dependents).hasSize(4).allSatisfy(t ->
                assertThat(t.path("dependencies").path(0).path("description").asText()).startsWith("VM {HOST.NAME} is unreachable"));
    }

    static Map<String, JsonNode> assertScripts() throws Exception {
        JsonNode scripts = api.call("script.get", Map.of("output", "extend", "filter", Map.of("name", SCRIPTS)));
        Map<String, JsonNode> byName = new HashMap<>();
        scripts.forEach(s -> byName.put(s.path("name").asText(), s));
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(SCRIPTS);
        for (String manual : List.of(SCRIPTS.get(0), SCRIPTS.get(1), SCRIPTS.get(4), SCRIPTS.get(5), SCRIPTS.get(6))) {
            JsonNode s = byName.get(manual);
            assertThat(s.path("scope").asText()).as(manual).isEqualTo("2");
            assertThat(s.path("menu_path").asText()).isEqualTo("vcrecovery");
            assertThat(s.path("execute_on").asText()).as("on the agent: not refused by 7.0's EnableGlobalScripts=0").isEqualTo("0");
        }
        assertThat(byName.get("vcrecovery: recover pending now").path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr recover --pending");
        assertThat(byName.get("vcrecovery: show pending plan").path("command").asText())
                .isEqualTo("/opt/vcrecovery/bin/vcr recover --pending --plan");
        assertThat(byName.get("vcrecovery: recover VM (action)").path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr recover --pending");
        assertThat(byName.get("vcrecovery: recover host (action)").path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr recover --pending");
        assertThat(byName.get("vcrecovery: recover host (action)").path("scope").asText()).isEqualTo("1");
        JsonNode approve = byName.get("vcrecovery: approve held recovery");
        assertThat(approve.path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr approve --held");
        assertThat(approve.path("confirmation").asText()).isEqualTo("Approve automatic recovery of held failures on {HOST.NAME}?");
        assertThat(approve.path("host_access").asText()).isEqualTo("3");
        assertThat(byName.get("vcrecovery: rebalance now").path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr rebalance --pending");
        assertThat(byName.get("vcrecovery: rebalance now").path("confirmation").asText()).startsWith("Move a recovered service off");
        assertThat(byName.get("vcrecovery: show rebalance plan").path("command").asText())
                .isEqualTo("/opt/vcrecovery/bin/vcr rebalance --pending --plan");
        assertThat(byName.get("vcrecovery: rebalance (action)").path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr rebalance --pending");
        assertThat(byName.get("vcrecovery: rebalance (action)").path("scope").asText()).isEqualTo("1");
        return byName;
    }

    static void assertActions(Map<String, JsonNode> scripts) throws Exception {
        JsonNode actions = api.call("action.get", Map.of("output", "extend", "selectFilter", "extend",
                "selectOperations", "extend", "filter", Map.of("name", ACTIONS)));
        assertThat(actions).hasSize(5);
        Map<String, String[]> expected = Map.of(
                "vcrecovery: recover on VM down", new String[] {"vm-down", "vcrecovery: recover VM (action)", "1"},
                "vcrecovery: recover on host down", new String[] {"host-down", "vcrecovery: recover host (action)", "1"},
                "vcrecovery: rebalance on CPU high", new String[] {"rebalance", "vcrecovery: rebalance (action)", "0"},
                "vcrecovery: grow pool", new String[] {"pool-grow", "vcrecovery: grow pool (action)", "0"},
                "vcrecovery: shrink pool", new String[] {"pool-shrink", "vcrecovery: shrink pool (action)", "0"});
        for (JsonNode a : actions) {
            String[] e = expected.get(a.path("name").asText());
            assertThat(e).as(a.path("name").asText()).isNotNull();
            assertThat(a.path("status").asText()).isEqualTo("0");
            Set<String> conditions = new HashSet<>();
            a.path("filter").path("conditions").forEach(c -> conditions.add(c.path("conditiontype").asText() + "/"
                    + c.path("value2").asText() + "=" + c.path("value").asText()));
            assertThat(conditions).containsExactlyInAnyOrder("26/vcrecovery=" + e[0], "16/=");
            JsonNode op = a.path("operations").path(0);
            assertThat(op.path("operationtype").asText()).isEqualTo("1");
            assertThat(op.path("esc_step_to").asText()).as("pool and rebalance actions repeat while the problem lasts (0: every step)").isEqualTo(e[2]);
            assertThat(op.path("opcommand").path("scriptid").asText()).isEqualTo(scripts.get(e[1]).path("scriptid").asText());
        }
    }

    /** Everything install owns, as the API returns it, in a stable order. */
    static String snapshot() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(api.call("template.get", Map.of("output", "extend", "filter", Map.of("host", List.of(KVM, SERVICE, STANDBY, POOL)),
                "selectItems", "extend", "selectTriggers", "extend", "selectDiscoveries", "extend", "selectGraphs", "extend",
                "selectDashboards", "extend", "selectMacros", "extend", "selectValueMaps", "extend", "sortfield", "name")));
        sb.append(api.call("script.get", Map.of("output", "extend", "filter", Map.of("name", SCRIPTS), "sortfield", "name")));
        sb.append(api.call("usermacro.get", Map.of("output", "extend", "globalmacro", true,
                "filter", Map.of("macro", List.of("{$VCR.LISTENER.ADDRESSES}")))));
        sb.append(api.call("action.get", Map.of("output", "extend", "selectFilter", "extend", "selectOperations", "extend",
                "filter", Map.of("name", ACTIONS), "sortfield", "name")));
        return sb.toString();
    }

    /**
     * With {@code --runbooks}, 7.0 gets the standby choice: a manual-input script whose strict list
     * is the runbooks' standby names, and a second run and a dry run find it up to date. 6.0 has no
     * manual input: the same install creates no such script and says why.
     */
    @Test
    void withRunbooksTheSevenMenuOffersTheirStandbysAsAStrictListAndASecondRunIsUpToDate(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path runbooks = java.nio.file.Files.createDirectories(dir.resolve("runbooks"));
        for (String[] rb : new String[][] {{"web", "web-warm"}, {"mail", "mail-cold"}}) {
            java.nio.file.Files.writeString(runbooks.resolve(rb[0] + ".yaml"), "service: " + rb[0] + "\nzabbix-host: " + rb[0]
                    + "-host\nprimary:\n  address: 127.0.10.1\nfencing:\n  mode: verify-dead\nstandbys:\n  - name: " + rb[1]
                    + "\n    kind: warm-container\n    backend: lxc\n    address: 127.0.10.2\nchecks:\n  - protocol: tcp\n    port: 8080\n"
                    + "dns:\n  server: 127.0.0.1:53\n  tsig: none\n  zone: example.test\n  name: " + rb[0] + "\n");
        }
        boolean seven = !sandbox.value(Sandbox.ZABBIX_VERSION).startsWith("6.");
        try {
            VcrRun first = install("--runbooks", runbooks.toString());
            assertThat(first.exit()).as(first.err()).isZero();
            JsonNode choice = api.call("script.get", Map.of("output", "extend", "filter", Map.of("name", List.of(CHOICE))));
            if (!seven) {
                assertThat(choice).as("no manual input on 6.0").isEmpty();
                assertThat(first.out()).contains("has no manual input for scripts (7.0 and later): the menu offers no standby choice");
                return;
            }
            assertThat(first.out()).containsPattern("script " + CHOICE + ": (created|updated|up to date)")
                    .contains("note: the menu offers the standbys mail-cold, web-warm: on each recovery VM, run `vcr zabbix agent-rules");
            assertThat(choice).hasSize(1);
            JsonNode c = choice.path(0);
            assertThat(c.path("command").asText()).isEqualTo("/opt/vcrecovery/bin/vcr recover --pending --standby {MANUALINPUT}");
            assertThat(c.path("manualinput").asText()).isEqualTo("1");
            assertThat(c.path("manualinput_validator_type").asText()).as("a list").isEqualTo("1");
            assertThat(c.path("manualinput_validator").asText()).isEqualTo("mail-cold,web-warm");
            assertThat(c.path("execute_on").asText()).isEqualTo("0");
            assertThat(c.path("confirmation").asText()).startsWith("Recover now, on the chosen standby,");

            VcrRun second = install("--runbooks", runbooks.toString());
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(objectLines(second)).hasSize(24).allMatch(l -> l.endsWith(": up to date"), "every object up to date");
            VcrRun dry = install("--runbooks", runbooks.toString(), "--dry-run");
            assertThat(objectLines(dry)).hasSize(24).allMatch(l -> l.endsWith(": up to date"), "every object up to date");

            // a standby added to the runbooks: the list is updated, nothing else
            java.nio.file.Files.writeString(runbooks.resolve("mail.yaml"), java.nio.file.Files.readString(runbooks.resolve("mail.yaml"))
                    .replace("standbys:\n", "standbys:\n  - name: mail-warm\n    kind: warm-container\n    backend: lxc\n"
                            + "    address: 127.0.10.3\n"));
            VcrRun third = install("--runbooks", runbooks.toString());
            assertThat(objectLines(third)).contains("script " + CHOICE + ": updated (manualinput_validator)")
                    .filteredOn(l -> !l.endsWith(": up to date")).hasSize(1);
        } finally {
            JsonNode left = api.call("script.get", Map.of("output", List.of("scriptid"), "filter", Map.of("name", List.of(CHOICE))));
            if (!left.isEmpty()) api.call("script.delete", List.of(left.path(0).path("scriptid").asText()));
        }
    }

    @Test
    void aLinkedHostGetsPerVmItemsFromADiscoveryValueAndVmDownFollowsThePerVmMacros() throws Exception {
        VcrRun r = install();
        assertThat(r.exit()).as(r.err()).isZero();
        String host = "it-install-" + UUID.randomUUID().toString().substring(0, 8);
        String group = api.hostGroupByName(sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        String templateId = api.templateByName(KVM).orElseThrow().templateId();
        java.net.InetSocketAddress agent = sandbox.address(Sandbox.ZABBIX_AGENT);
        String hostId = api.createHost(host, List.of(group),
                List.of(HostInterface.agent(agent.getHostString(), agent.getPort())), List.of(templateId));
        hostsToDelete.add(hostId);
        String vm = "web-" + host.substring(11);
        String spare = "spare-" + host.substring(11);
        // The spare VM is meant to be off: its per-VM context macro says shutoff is no trouble.
        api.call("usermacro.create", Map.of("hostid", hostId, "macro", "{$VCR.VM.DOWN.ON.SHUTOFF:\"" + spare + "\"}", "value", "0"));
        // The host is alive: its reachability check (the fast host-down trigger's port) connects to its agent.
        api.call("usermacro.create", Map.of("hostid", hostId, "macro", "{$VCR.HOST.CHECK.PORT}", "value", Integer.toString(agent.getPort())));
        String discovery = "[{\"{#VM.NAME}\":\"" + vm + "\",\"{#VM.UUID}\":\"" + UUID.randomUUID() + "\"},"
                + "{\"{#VM.NAME}\":\"" + spare + "\",\"{#VM.UUID}\":\"" + UUID.randomUUID() + "\"},"
                + "{\"{#VM.NAME}\":\"bad;name\",\"{#VM.UUID}\":\"" + UUID.randomUUID() + "\"}]";
        ZabbixSender sender = ZabbixSender.of(sandbox.address(Sandbox.ZABBIX_TRAPPER));
        // The server learns of the new host's trapper item on its next configuration sync (1 s here).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            SenderResult res = sender.send(List.of(new SenderValue(host, "vcr.vm.discovery", discovery)));
            return res.processed() == 1;
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode items = api.call("item.get", Map.of("output", List.of("key_"), "hostids", List.of(hostId),
                    "search", Map.of("key_", "vcr.vm.")));
            assertThat(keys(items, "key_")).contains("vcr.vm.state[" + vm + "]", "vcr.vm.cpu[" + vm + "]",
                    "vcr.vm.event[" + vm + "]", "vcr.vm.state[" + spare + "]").noneMatch(k -> k.contains("bad;name"));
        });
        JsonNode triggers = api.call("trigger.get", Map.of("output", List.of("description"), "hostids", List.of(hostId),
                "selectTags", "extend", "expandDescription", true));
        assertThat(triggers).anySatisfy(t -> {
            assertThat(t.path("description").asText()).isEqualTo("VM " + vm + " crashed");
            assertThat(tags(t)).containsEntry("vm", vm).containsEntry("vcrecovery", "vm-down");
        });

        // Both VMs shut off: only the one that should be running is a VM-down problem.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                sender.send(List.of(new SenderValue(host, "vcr.vm.state[" + vm + "]", "5"),
                        new SenderValue(host, "vcr.vm.state[" + spare + "]", "5"))).processed() == 2);
        String[] eventId = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode problems = api.call("problem.get", Map.of("output", List.of("eventid", "name"), "hostids", List.of(hostId),
                    "selectTags", "extend"));
            assertThat(problems).anySatisfy(p -> {
                assertThat(p.path("name").asText()).isEqualTo("VM " + vm + " is shutoff (5) but should be running");
                assertThat(tags(p)).containsEntry("vm", vm).containsEntry("vcrecovery", "vm-down");
                eventId[0] = p.path("eventid").asText();
            });
        });
        // The action ran the one literal recovery command (vcr takes the event from the API;
        // whether vcr is installed at that path on this machine decides only the command's outcome).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode alerts = api.call("alert.get", Map.of("output", List.of("alerttype", "message"), "eventids", List.of(eventId[0])));
            assertThat(keys(alerts, "message")).anySatisfy(m -> assertThat(m).endsWith("/opt/vcrecovery/bin/vcr recover --pending"));
        });
        JsonNode spareState = api.call("item.get", Map.of("output", List.of("lastvalue"), "hostids", List.of(hostId),
                "filter", Map.of("key_", List.of("vcr.vm.state[" + spare + "]"))));
        assertThat(spareState.path(0).path("lastvalue").asText()).isEqualTo("5");
        JsonNode all = api.call("problem.get", Map.of("output", List.of("name"), "hostids", List.of(hostId)));
        assertThat(keys(all, "name")).noneMatch(n -> n.contains(spare));
    }

    @Test
    void theKvmTemplatesTrappersRefuseValuesFromSendersNotListed() throws Exception {
        VcrRun r = install("--listener-addresses", "127.0.0.1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("macro \\{\\$VCR.LISTENER.ADDRESSES\\}: (created|updated|up to date)");
        String host = "it-trapper-" + UUID.randomUUID().toString().substring(0, 8);
        String group = api.hostGroupByName(sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        java.net.InetSocketAddress agent = sandbox.address(Sandbox.ZABBIX_AGENT);
        String hostId = api.createHost(host, List.of(group), List.of(HostInterface.agent(agent.getHostString(), agent.getPort())),
                List.of(api.templateByName(KVM).orElseThrow().templateId()));
        hostsToDelete.add(hostId);
        ZabbixSender sender = ZabbixSender.of(sandbox.address(Sandbox.ZABBIX_TRAPPER));
        // From the listener's address (the macro's value): accepted, once the server knows the host.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                sender.send(List.of(new SenderValue(host, "vcr.listener.traps.received", "1"))).processed() == 1);

        // From another source address: the real zabbix_sender bound to 127.0.0.2 is refused, for a
        // listener item and for the VM discovery (no VM item appears).
        String vm = "forged-" + host.substring(11);
        assertThat(senderFrom("127.0.0.2", host, "vcr.listener.traps.received", "99")).contains("processed: 0; failed: 1");
        assertThat(senderFrom("127.0.0.2", host, "vcr.vm.discovery", "[{\"{#VM.NAME}\":\"" + vm + "\",\"{#VM.UUID}\":\"x\"}]"))
                .contains("processed: 0; failed: 1");

        // A host macro narrows one host: our own client from 127.0.0.1 is refused there too.
        api.call("usermacro.create", Map.of("hostid", hostId, "macro", "{$VCR.LISTENER.ADDRESSES}", "value", "127.0.0.2"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            SenderResult res = sender.send(List.of(new SenderValue(host, "vcr.listener.traps.received", "2")));
            return res.processed() == 0 && res.failed() == 1;
        });
        assertThat(senderFrom("127.0.0.2", host, "vcr.listener.traps.received", "3")).contains("processed: 1; failed: 0");

        JsonNode items = api.call("item.get", Map.of("output", List.of("key_", "lastvalue"), "hostids", List.of(hostId),
                "search", Map.of("key_", "vcr.")));
        assertThat(keys(items, "key_")).noneMatch(k -> k.contains(vm));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(api.itemByKey(host, "vcr.listener.traps.received").orElseThrow().lastValue()).isEqualTo("3"));
    }

    /** The sandbox version's zabbix_sender (ZABBIX_SENDER in sandbox.env: not on PATH): its summary line for one value sent from {@code source} (-I) to the trapper. */
    private static String senderFrom(String source, String host, String key, String value) throws Exception {
        java.net.InetSocketAddress trapper = sandbox.address(Sandbox.ZABBIX_TRAPPER);
        Process p = new ProcessBuilder(sandbox.value("ZABBIX_SENDER"), "-z", trapper.getHostString(), "-p", Integer.toString(trapper.getPort()),
                "-I", source, "-s", host, "-k", key, "-o", value).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static JsonNode byHost(JsonNode list, String host) {
        for (JsonNode n : list) if (n.path("host").asText().equals(host)) return n;
        throw new AssertionError("no " + host + " in " + list);
    }

    private static List<String> keys(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static Map<String, String> tags(JsonNode o) {
        Map<String, String> out = new HashMap<>();
        o.path("tags").forEach(t -> out.put(t.path("tag").asText(), t.path("value").asText()));
        return out;
    }
}
