package org.vcrecovery.vcr.zabbix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The global scripts {@code vcr zabbix install} owns, as Zabbix API fields.
 *
 * <p>No script passes a macro to {@code vcr}: every command is one literal line, so the agent's
 * rules can allow exactly these lines and nothing else (recovery-scripts/agent), and no value
 * Zabbix substitutes (a host name, a tag fed by a trapper item) ever reaches a shell. What to
 * recover comes from the Zabbix API instead: {@code vcr recover --pending} takes the open,
 * unacknowledged, unsuppressed vcrecovery problems no vcr run has handled, whose runbook is on
 * the host it runs on (see PendingRecoveries).
 *
 * <p>Two scripts (scope 1, action operation) are what the trigger actions run: on the standby
 * host's agent ({@code execute_on} 0) when {@code --standby-host} is given, else on the server or
 * the proxy ({@code execute_on} 2, which Zabbix 7.0 refuses unless EnableGlobalScripts=1).
 * Two appear in the host menu under "vcrecovery" (scope 2) and run on the agent of the host they
 * are started on ({@code execute_on} 0: not affected by EnableGlobalScripts): started on the
 * recovery (standby) VM, "recover pending now" runs what the action runs, and "show pending plan"
 * prints what it would do and changes nothing. The menu scripts of earlier versions, which ran on
 * the server with the host's name on the command line, are {@link #OBSOLETE}: install deletes them.
 */
final class ScriptSpecs {
    static final String RECOVER_NOW = "vcrecovery: recover pending now";
    static final String SHOW_PLAN = "vcrecovery: show pending plan";
    static final String ACTION_VM = "vcrecovery: recover VM (action)";
    static final String ACTION_HOST = "vcrecovery: recover host (action)";
    static final String MENU = "vcrecovery";
    /** Scripts earlier versions installed that install now removes. */
    static final List<String> OBSOLETE = List.of("vcrecovery: recover now", "vcrecovery: show plan", "vcrecovery: fail back");

    /** Executable paths we put on a shell command line: absolute, no shell metacharacters. */
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./+-]+");

    /** One desired script: its name and the API fields that define it (besides the name). */
    record Spec(String name, Map<String, Object> fields) {
        Spec {
            Objects.requireNonNull(name, "name == null");
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** The fields plus the name: what script.create takes. */
        Map<String, Object> create() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.putAll(fields);
            return m;
        }
    }

    private ScriptSpecs() {
    }

    static boolean isSafePath(String path) {
        return path != null && SAFE_PATH.matcher(path).matches() && !path.contains("/../");
    }

    /** The command the actions (and "recover pending now") run: the line the agent snippet allows. */
    static String recoverCommand(String vcrPath) {
        return vcrPath + " recover --pending";
    }

    /** The command of "show pending plan", also allowed by the snippet. */
    static String planCommand(String vcrPath) {
        return recoverCommand(vcrPath) + " --plan";
    }

    /**
     * All four scripts for {@code vcr} at {@code vcrPath}; the action scripts run on an agent when
     * {@code onStandbyAgent}.
     */
    static List<Spec> all(String vcrPath, boolean onStandbyAgent) {
        if (!isSafePath(vcrPath)) throw new IllegalArgumentException("vcrPath is not a plain absolute path: " + vcrPath);
        String recover = recoverCommand(vcrPath);
        return List.of(
                manual(RECOVER_NOW, recover, 3,
                        "Recover now every pending vcrecovery problem whose runbook is on {HOST.NAME}? DNS will point clients at the standbys.",
                        "Start it on the recovery (standby) VM: runs what the recovery actions run there (vcr recover --pending) now, for every"
                                + " open, unacknowledged vcrecovery problem no vcr run has handled yet whose runbook is on this VM."
                                + " Runs on the VM's agent: install recovery-scripts/agent there."),
                manual(SHOW_PLAN, planCommand(vcrPath), 2, "",
                        "Start it on the recovery (standby) VM: prints what vcr recover --pending would do there now (the pending problems"
                                + " and each runbook's plan) without changing anything."),
                action(ACTION_VM, recover, onStandbyAgent,
                        "Run by the action \"" + ActionSpecs.VM_DOWN + "\": vcr reads the pending problems from the Zabbix API and recovers"
                                + " those whose runbook is on this host (the VM named by the problem's vm tag)."),
                action(ACTION_HOST, recover, onStandbyAgent,
                        "Run by the action \"" + ActionSpecs.HOST_DOWN + "\": vcr reads the pending problems from the Zabbix API and recovers"
                                + " those whose runbook is on this host (found by the problem's host)."));
    }

    private static Spec manual(String name, String command, int hostAccess, String confirmation, String description) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "0");
        f.put("scope", "2");
        f.put("execute_on", "0");
        f.put("command", command);
        f.put("menu_path", MENU);
        f.put("groupid", "0");
        f.put("usrgrpid", "0");
        f.put("host_access", String.valueOf(hostAccess));
        f.put("confirmation", confirmation);
        f.put("description", description);
        return new Spec(name, f);
    }

    private static Spec action(String name, String command, boolean onAgent, String description) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "0");
        f.put("scope", "1");
        f.put("execute_on", onAgent ? "0" : "2");
        f.put("command", command);
        f.put("groupid", "0");
        f.put("description", description);
        return new Spec(name, f);
    }
}
