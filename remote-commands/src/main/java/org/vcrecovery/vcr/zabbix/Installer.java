package org.vcrecovery.vcr.zabbix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.zabbix.api.ImportRules;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;
import org.vcrecovery.zabbix.api.ZabbixVersion;

/**
 * Brings a Zabbix server to the state vcrecovery needs: templates imported, the global macro
 * {@code {$VCR.LISTENER.ADDRESSES}} set, global scripts and trigger actions present with the
 * fields we define (scripts of earlier versions that are no longer safe deleted). Idempotent: each object is compared with
 * what exists ({@link Compare}, and for templates the digest line and object counts of
 * {@link TemplateBundle}) and only missing or different objects are written; nothing else on the
 * server is touched, and import rules never delete.
 *
 * <p>Order matters and is fixed: templates, macro, scripts, actions (actions refer to scripts by id).
 * The first API failure stops the run with a {@link VcrException} whose one-line message names
 * the object; objects already written stay written (a rerun completes the job).
 */
public final class Installer {
    private static final Logger log = LoggerFactory.getLogger(Installer.class);

    /**
     * What to install and how. {@code listenerAddresses}: the trapper senders the KVM template's
     * items accept ({@link ListenerAddresses}); null keeps the value Zabbix has (or sets the
     * default on a server that has none). {@code standbyChoices}: the standby names the 7.0 menu
     * offers (from the runbooks: {@link org.vcrecovery.vcr.runbook.StandbyNames}); empty offers no choice.
     */
    public record Options(TemplateBundle templates, String vcrPath, String standbyHost, boolean dryRun, String listenerAddresses,
                          List<String> standbyChoices) {
        public Options {
            Objects.requireNonNull(templates, "templates == null");
            Objects.requireNonNull(vcrPath, "vcrPath == null");
            if (!ScriptSpecs.isSafePath(vcrPath)) {
                throw new VcrException(ExitCode.USAGE, "--vcr-path " + vcrPath
                        + " must be an absolute path of letters, digits and ._+-/ (it goes on a shell command line)");
            }
            if (listenerAddresses != null) listenerAddresses = ListenerAddresses.check(listenerAddresses);
            standbyChoices = standbyChoices == null ? List.of() : List.copyOf(standbyChoices);
            try {
                new ScriptSpecs.Menu(true, standbyChoices).choiceList();
            } catch (IllegalArgumentException e) {
                throw new VcrException(ExitCode.USAGE, "--runbooks: " + e.getMessage() + "; nothing was changed");
            }
        }

        public Options(TemplateBundle templates, String vcrPath, String standbyHost, boolean dryRun, String listenerAddresses) {
            this(templates, vcrPath, standbyHost, dryRun, listenerAddresses, List.of());
        }

        public Options(TemplateBundle templates, String vcrPath, String standbyHost, boolean dryRun) {
            this(templates, vcrPath, standbyHost, dryRun, null);
        }
    }

    /** The changes (one per object, in order) and the notes an operator must act on. */
    public record Result(ZabbixVersion version, List<Change> changes, List<String> notes) {
        public Result {
            changes = List.copyOf(changes);
            notes = List.copyOf(notes);
        }
    }

    private final ZabbixApi api;
    private final Options options;
    private final List<Change> changes = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Installer(ZabbixApi api, Options options) {
        this.api = Objects.requireNonNull(api, "api == null");
        this.options = Objects.requireNonNull(options, "options == null");
    }

    public Result run() {
        ZabbixVersion version = step("apiinfo.version", "Zabbix API", api::version);
        step("user.get", "Zabbix API", () -> {
            api.authenticate();
            return null;
        });
        String standbyHostId = standbyHostId();
        for (TemplateBundle.TemplateFile f : options.templates().forVersion(version).files()) installTemplates(f);
        ListenerAddresses.install(api, options.listenerAddresses(), options.dryRun(), changes, notes);
        Map<String, String> scriptIds = installScripts(standbyHostId != null, ScriptSpecs.Menu.of(version, options.standbyChoices()));
        installActions(scriptIds, standbyHostId == null ? "0" : standbyHostId);
        addNotes(version);
        return new Result(version, changes, notes);
    }

    // ---------------------------------------------------------------- templates

    private void installTemplates(TemplateBundle.TemplateFile file) {
        List<String> names = file.templates().stream().map(TemplateBundle.Template::name).toList();
        String label = String.join(", ", names);
        JsonNode existing = step("template.get", "template " + label, () -> api.call("template.get", Map.of(
                "output", List.of("templateid", "host", "description"),
                "filter", Map.of("host", names),
                "selectItems", "count", "selectTriggers", "count", "selectDiscoveries", "count",
                "selectGraphs", "count", "selectDashboards", "count",
                "selectMacros", List.of("macro"), "selectValueMaps", List.of("valuemapid"))));
        Map<String, JsonNode> byName = new HashMap<>();
        existing.forEach(t -> byName.put(t.path("host").asText(), t));
        List<String> why = new ArrayList<>();
        for (TemplateBundle.Template t : file.templates()) {
            JsonNode e = byName.get(t.name());
            if (e == null) continue;
            if (!e.path("description").asText("").contains(TemplateBundle.DIGEST_PREFIX + t.digest())) {
                why.add("content changed");
            }
            for (Map.Entry<String, Integer> c : t.counts().entrySet()) {
                JsonNode n = e.path(c.getKey());
                int have = n.isArray() ? n.size() : n.asInt(0);
                if (have < c.getValue()) why.add((c.getValue() - have) + " " + c.getKey() + " missing");
            }
        }
        Change.Outcome outcome;
        if (byName.isEmpty()) outcome = Change.Outcome.create(options.dryRun());
        else if (byName.size() < names.size() || !why.isEmpty()) outcome = Change.Outcome.update(options.dryRun());
        else outcome = Change.Outcome.UP_TO_DATE;
        if (outcome == Change.Outcome.CREATED || outcome == Change.Outcome.UPDATED) {
            step("configuration.import", "template import of " + file.path().getFileName(), () -> {
                api.importConfiguration(file.source(), ImportRules.defaults());
                return null;
            });
        }
        String detail = byName.size() < names.size() && !byName.isEmpty() ? "some templates missing" : String.join(", ", why);
        for (String n : names) changes.add(new Change("template", n, outcome, detail));
    }

    // ---------------------------------------------------------------- scripts

    private Map<String, String> installScripts(boolean onStandbyAgent, ScriptSpecs.Menu menu) {
        List<ScriptSpecs.Spec> specs = ScriptSpecs.all(options.vcrPath(), onStandbyAgent, menu);
        List<String> names = specs.stream().map(ScriptSpecs.Spec::name).toList();
        List<String> wanted = new ArrayList<>(names);
        wanted.addAll(ScriptSpecs.OBSOLETE);
        JsonNode existing = step("script.get", "scripts", () -> api.call("script.get", Map.of(
                "output", "extend", "filter", Map.of("name", wanted))));
        Map<String, JsonNode> byName = new HashMap<>();
        existing.forEach(s -> byName.put(s.path("name").asText(), s));
        Map<String, String> ids = new LinkedHashMap<>();
        for (ScriptSpecs.Spec spec : specs) {
            JsonNode e = byName.get(spec.name());
            if (e == null) {
                if (!options.dryRun()) {
                    JsonNode r = step("script.create", "script " + spec.name(), () -> api.call("script.create", spec.create()));
                    ids.put(spec.name(), r.path("scriptids").path(0).asText());
                }
                changes.add(new Change("script", spec.name(), Change.Outcome.create(options.dryRun()), ""));
                continue;
            }
            String id = e.path("scriptid").asText();
            ids.put(spec.name(), id);
            List<String> diff = Compare.scriptDiff(spec, e);
            if (diff.isEmpty()) {
                changes.add(new Change("script", spec.name(), Change.Outcome.UP_TO_DATE, ""));
                continue;
            }
            if (!options.dryRun()) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("scriptid", id);
                params.putAll(spec.fields());
                step("script.update", "script " + spec.name(), () -> api.call("script.update", params));
            }
            changes.add(new Change("script", spec.name(), Change.Outcome.update(options.dryRun()), String.join(", ", diff)));
        }
        for (String name : ScriptSpecs.OBSOLETE) {
            JsonNode e = byName.get(name);
            if (e == null) continue;
            if (!options.dryRun()) {
                step("script.delete", "script " + name, () -> api.call("script.delete", List.of(e.path("scriptid").asText())));
            }
            changes.add(new Change("script", name, Change.Outcome.delete(options.dryRun()),
                    "replaced: it ran vcr on the server with the host's name on the command line"));
        }
        return ids;
    }

    // ---------------------------------------------------------------- actions

    private void installActions(Map<String, String> scriptIds, String targetHostId) {
        List<ActionSpecs.Spec> specs = ActionSpecs.all();
        List<String> names = specs.stream().map(ActionSpecs.Spec::name).toList();
        JsonNode existing = step("action.get", "actions", () -> api.call("action.get", Map.of(
                "output", "extend", "selectFilter", "extend", "selectOperations", "extend",
                "filter", Map.of("name", names))));
        Map<String, JsonNode> byName = new HashMap<>();
        existing.forEach(a -> byName.put(a.path("name").asText(), a));
        for (ActionSpecs.Spec spec : specs) {
            // In a dry run a script that would be created has no id yet: the action would change.
            String scriptId = scriptIds.getOrDefault(spec.scriptName(), "(new)");
            Map<String, Object> fields = ActionSpecs.fields(spec, scriptId, spec.onProblemHost() ? "0" : targetHostId);
            JsonNode e = byName.get(spec.name());
            if (e == null) {
                if (!options.dryRun()) {
                    Map<String, Object> params = new LinkedHashMap<>();
                    params.put("name", spec.name());
                    params.putAll(fields);
                    step("action.create", "action " + spec.name(), () -> api.call("action.create", params));
                }
                changes.add(new Change("action", spec.name(), Change.Outcome.create(options.dryRun()), ""));
                continue;
            }
            List<String> diff = Compare.actionDiff(fields, e);
            if (diff.isEmpty()) {
                changes.add(new Change("action", spec.name(), Change.Outcome.UP_TO_DATE, ""));
                continue;
            }
            if (!options.dryRun()) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("actionid", e.path("actionid").asText());
                fields.remove("eventsource"); // constant after creation
                params.putAll(fields);
                step("action.update", "action " + spec.name(), () -> api.call("action.update", params));
            }
            changes.add(new Change("action", spec.name(), Change.Outcome.update(options.dryRun()), String.join(", ", diff)));
        }
    }

    // ---------------------------------------------------------------- helpers

    private String standbyHostId() {
        String name = options.standbyHost();
        if (name == null) return null;
        JsonNode hosts = step("host.get", "standby host " + name, () -> api.call("host.get", Map.of(
                "output", List.of("hostid", "host"), "filter", Map.of("host", List.of(name)))));
        if (hosts.isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "standby host " + name
                    + " not found in Zabbix: create it (technical name) and link it to \"vcrecovery standby VM\" first");
        }
        return hosts.path(0).path("hostid").asText();
    }

    private void addNotes(ZabbixVersion version) {
        String snippet = "recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf";
        notes.add((options.standbyHost() != null ? "the agent of " + options.standbyHost() : "the agent of each recovery VM")
                + " must allow exactly \"" + ScriptSpecs.recoverCommand(options.vcrPath()) + "\" (its --plan form, \""
                + ScriptSpecs.approveCommand(options.vcrPath()) + "\", \"" + ScriptSpecs.rebalanceCommand(options.vcrPath())
                + "\" with its --plan form, and for pools \"" + ScriptSpecs.poolCommand(options.vcrPath(), "grow")
                + "\", its shrink form and pool status): install "
                + snippet + (options.vcrPath().equals(InstallCommand.DEFAULT_VCR) ? "" : " with " + InstallCommand.DEFAULT_VCR
                        + " replaced by " + options.vcrPath()) + " and restart it (Zabbix agent 2: "
                + snippet.replace("zabbix_agentd.d", "zabbix_agent2.d") + "); vcr.yaml there needs the Zabbix API"
                + " (vcr reads the pending problems from it)");
        if (ScriptSpecs.Menu.of(version, options.standbyChoices()).offersChoice()) {
            notes.add("the menu offers the standbys " + String.join(", ", options.standbyChoices()) + ": on each recovery VM, run"
                    + " `vcr zabbix agent-rules --snippet FILE` and install what it prints as FILE (the agent snippet with one exact"
                    + " line per standby its runbooks have), then restart the agent; a standby it does not allow is refused there");
        } else if (!options.standbyChoices().isEmpty()) {
            notes.add("Zabbix " + version + " has no manual input for scripts (7.0 and later): the menu offers no standby choice;"
                    + " \"recover pending now\" tries each runbook's standbys in order");
        }
        if (options.standbyHost() == null && version.atLeast(7, 0)) {
            notes.add("Zabbix " + version + ": without --standby-host the actions run vcr on the Zabbix server, which 7.0 and"
                    + " later refuse unless zabbix_server.conf has EnableGlobalScripts=1 (off by default in new installs):"
                    + " give --standby-host, or set it and restart zabbix-server");
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws ZabbixApiException;
    }

    /** Runs one API call; a failure becomes one line naming what we were doing. */
    private <T> T step(String method, String what, Call<T> call) {
        try {
            return call.call();
        } catch (ZabbixApiException e) {
            log.debug("{} failed", method, e);
            throw failure(what, e);
        }
    }

    static VcrException failure(String what, ZabbixApiException e) {
        String detail = oneLine(e.apiMessage() == null ? e.getMessage() : e.apiMessage()
                + (e.data() == null || e.data().isBlank() ? "" : ": " + e.data()));
        return switch (e.reason()) {
            case UNSUPPORTED_VERSION -> new VcrException(ExitCode.USAGE, e.getMessage(), e);
            case AUTH_FAILED -> new VcrException(ExitCode.AUTH, "Zabbix refused our credentials (" + what + "): " + detail, e);
            case TIMEOUT, UNREACHABLE -> new VcrException(ExitCode.UNREACHABLE, "Zabbix API did not answer (" + what + "): " + detail, e);
            case API_ERROR, NOT_FOUND -> new VcrException(ExitCode.REFUSED, what + " failed: " + detail, e);
            default -> new VcrException(ExitCode.FAILED, what + " failed: " + detail, e);
        };
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
