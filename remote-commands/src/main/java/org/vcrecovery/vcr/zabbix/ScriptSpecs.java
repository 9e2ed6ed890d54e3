package org.vcrecovery.vcr.zabbix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The global scripts {@code vcr zabbix install} owns, as Zabbix API fields.
 *
 * <p>Three appear in the host menu under "vcrecovery" (scope 2, manual host action) and run on
 * the Zabbix server or the proxy that monitors the host ({@code execute_on} 2): a host's own agent
 * is the wrong place, since the host in question is usually the one that failed, so {@code vcr}
 * must be installed on the server (and proxies). "show plan" and "fail back" run with
 * {@code --plan}: they print what {@code vcr recover} (or {@code vcr recover --failback}) would do
 * and change nothing. Moving services back to a repaired primary is a decision an operator makes
 * by running {@code vcr recover --failback} by hand. Two more (scope 1, action operation) are
 * what the trigger actions run: on the standby host's agent ({@code execute_on} 0) when {@code --standby-host} is given,
 * else on the server or proxy.
 *
 * <p>Commands take only Zabbix-validated macros: {@code {HOST.HOST}} (letters, digits, space, dot,
 * dash, underscore: safe inside single quotes), {@code {EVENT.ID}} (digits) and
 * {@code {EVENT.TAGS.vm}} (a VM name the KVM template's discovery filter limits to
 * {@code [A-Za-z0-9_.:+@-]}); {@code vcr} validates its arguments again.
 */
final class ScriptSpecs {
    static final String RECOVER_NOW = "vcrecovery: recover now";
    static final String SHOW_PLAN = "vcrecovery: show plan";
    static final String FAIL_BACK = "vcrecovery: fail back";
    static final String ACTION_VM = "vcrecovery: recover VM (action)";
    static final String ACTION_HOST = "vcrecovery: recover host (action)";
    static final String MENU = "vcrecovery";

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

    /**
     * All five scripts for {@code vcr} at {@code vcrPath}; the action scripts run on an agent when
     * {@code onStandbyAgent}.
     */
    static List<Spec> all(String vcrPath, boolean onStandbyAgent) {
        if (!isSafePath(vcrPath)) throw new IllegalArgumentException("vcrPath is not a plain absolute path: " + vcrPath);
        String host = " --trigger-host '{HOST.HOST}'";
        String recover = vcrPath + " recover";
        return List.of(
                manual(RECOVER_NOW, recover + host, 3,
                        "Recover the services of {HOST.NAME} onto their standby now? DNS will point clients at the standby.",
                        "Runs vcr recover for this host now, as the action would: brings up the standby of each service the host's runbooks name, checks it answers, switches DNS. Needs vcr on the Zabbix server (or the host's proxy)."),
                manual(SHOW_PLAN, recover + host + " --plan", 2, "",
                        "Prints what vcr recover would do for this host (runbooks, standbys in order, checks, DNS changes) without changing anything."),
                manual(FAIL_BACK, recover + host + " --failback --plan", 3, "",
                        "Prints the plan to move this host's services back from the standby to the repaired primary (vcr recover --failback --plan). Plan only: run vcr recover --failback by hand once the primary is healthy."),
                action(ACTION_VM, recover + " --event-id {EVENT.ID}" + host + " --vm '{EVENT.TAGS.vm}'", onStandbyAgent,
                        "Run by the action \"" + ActionSpecs.VM_DOWN + "\": recovers the services of the VM named by the problem's vm tag."),
                action(ACTION_HOST, recover + " --event-id {EVENT.ID}" + host, onStandbyAgent,
                        "Run by the action \"" + ActionSpecs.HOST_DOWN + "\": recovers the services of every VM of the host that went down."));
    }

    private static Spec manual(String name, String command, int hostAccess, String confirmation, String description) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "0");
        f.put("scope", "2");
        f.put("execute_on", "2");
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
