package org.vcrecovery.vcr.zabbix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.zabbix.api.ZabbixVersion;

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
 * <p>Three scripts (scope 1, action operation) are what the trigger actions run: the two recovery
 * ones on the standby host's agent ({@code execute_on} 0) when {@code --standby-host} is given, else
 * on the server or the proxy ({@code execute_on} 2, which Zabbix 7.0 refuses unless
 * EnableGlobalScripts=1); the rebalance one always on the agent of the problem's host, the
 * overloaded recovery VM itself.
 * The others appear in the host menu under "vcrecovery" (scope 2) and run on the agent of the host
 * they are started on ({@code execute_on} 0: not affected by EnableGlobalScripts): started on the
 * recovery (standby) VM, "recover pending now" runs what the action runs, "show pending plan"
 * prints what it would do and changes nothing, and "approve held recovery" approves and runs the
 * recoveries the circuit breaker or the kill switch held there ({@code vcr approve --held}).
 *
 * <p>On Zabbix 7.0 and later, with the runbooks' standby names given ({@link Menu#standbys}), one
 * more menu script, "recover pending now on a chosen standby", asks for one of them (7.0's
 * {@code manualinput} with a list validator, which the server checks) and runs
 * {@code vcr recover --pending --standby {MANUALINPUT}}. This is the one command with a value in it:
 * the value is one of the listed names (Zabbix refuses any other), each such line must be allowed
 * by the agent as an exact line of its own ({@code vcr zabbix agent-rules} prints them), and vcr
 * checks the name against the runbooks again. Zabbix 6.0 has no manual input: there the menu has
 * the literal scripts only. The menu scripts of earlier versions, which ran on the server with the
 * host's name on the command line, are {@link #OBSOLETE}: install deletes them.
 *
 * <p>A new script is one more {@link Spec} in {@link #all(String, boolean, Menu)}: the installer,
 * its idempotence and dry run follow from that list.
 */
final class ScriptSpecs {
    static final String RECOVER_NOW = "vcrecovery: recover pending now";
    static final String SHOW_PLAN = "vcrecovery: show pending plan";
    static final String ACTION_VM = "vcrecovery: recover VM (action)";
    static final String ACTION_HOST = "vcrecovery: recover host (action)";
    static final String APPROVE_HELD = "vcrecovery: approve held recovery";
    static final String RECOVER_ON = "vcrecovery: recover pending now on a chosen standby";
    static final String REBALANCE_NOW = "vcrecovery: rebalance now";
    static final String SHOW_REBALANCE = "vcrecovery: show rebalance plan";
    static final String ACTION_REBALANCE = "vcrecovery: rebalance (action)";
    static final String ACTION_POOL_GROW = "vcrecovery: grow pool (action)";
    static final String ACTION_POOL_SHRINK = "vcrecovery: shrink pool (action)";
    static final String POOL_STATUS = "vcrecovery: pool status";
    static final String POOL_GROW_NOW = "vcrecovery: grow pools with a grow problem now";
    static final String POOL_SHRINK_NOW = "vcrecovery: shrink pools with a shrink problem now";
    static final String MENU = "vcrecovery";
    /** The longest list Zabbix 7.0 stores in {@code manualinput_validator}. */
    static final int VALIDATOR_LIMIT = 2048;
    /** Scripts earlier versions installed that install now removes. */
    static final List<String> OBSOLETE = List.of("vcrecovery: recover now", "vcrecovery: show plan", "vcrecovery: fail back");

    /** Executable paths we put on a shell command line: absolute, no shell metacharacters. */
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./+-]+");

    /**
     * What the menu may offer besides the literal lines: whether the server has 7.0's manual input,
     * and the standby names (plain names, sorted, no duplicates) to offer as a choice.
     */
    record Menu(boolean manualInput, List<String> standbys) {
        static final Menu LITERAL = new Menu(false, List.of());

        Menu {
            standbys = List.copyOf(standbys);
            for (String s : standbys) {
                if (!Names.isName(s)) throw new IllegalArgumentException("not a standby name: " + s);
            }
            if (new TreeSet<>(standbys).size() != standbys.size()) throw new IllegalArgumentException("duplicate standby names");
        }

        /** The menu for a server of {@code version} offering {@code standbys}. */
        static Menu of(ZabbixVersion version, List<String> standbys) {
            return new Menu(version.atLeast(7, 0), standbys);
        }

        boolean offersChoice() {
            return manualInput && !standbys.isEmpty();
        }

        /** The names as Zabbix's list validator takes them; IllegalArgumentException when longer than it stores. */
        String choiceList() {
            String list = String.join(",", standbys);
            if (list.length() > VALIDATOR_LIMIT) {
                throw new IllegalArgumentException("the standby names add up to " + list.length() + " characters, more than the "
                        + VALIDATOR_LIMIT + " Zabbix stores for a choice list");
            }
            return list;
        }
    }

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

    /** The command of "approve held recovery", also allowed by the snippet. */
    static String approveCommand(String vcrPath) {
        return vcrPath + " approve --held";
    }

    /** The command the rebalance action (and "rebalance now") runs: a literal line the agent snippet allows. */
    static String rebalanceCommand(String vcrPath) {
        return vcrPath + " rebalance --pending";
    }

    /** The command of "show rebalance plan", also allowed by the snippet. */
    static String rebalancePlanCommand(String vcrPath) {
        return rebalanceCommand(vcrPath) + " --plan";
    }

    /** The command of the pool actions and menu scripts: {@code vcr pool grow|shrink --pending}, allowed by the snippet. */
    static String poolCommand(String vcrPath, String direction) {
        return vcrPath + " pool " + direction + " --pending";
    }

    /** The command the choice script runs for {@code standby}: what {@code vcr zabbix agent-rules} allows, one line per standby. */
    static String recoverOnCommand(String vcrPath, String standby) {
        return recoverCommand(vcrPath) + " --standby " + standby;
    }

    /** The scripts of every version (the literal lines only), as {@link #all(String, boolean, Menu)} with {@link Menu#LITERAL}. */
    static List<Spec> all(String vcrPath, boolean onStandbyAgent) {
        return all(vcrPath, onStandbyAgent, Menu.LITERAL);
    }

    /**
     * Every script for {@code vcr} at {@code vcrPath}: the action scripts run on an agent when
     * {@code onStandbyAgent}; {@code menu} adds the standby choice where the server has manual input.
     * A choice list longer than Zabbix stores is an IllegalArgumentException naming the limit.
     */
    static List<Spec> all(String vcrPath, boolean onStandbyAgent, Menu menu) {
        if (!isSafePath(vcrPath)) throw new IllegalArgumentException("vcrPath is not a plain absolute path: " + vcrPath);
        String recover = recoverCommand(vcrPath);
        List<Spec> out = new ArrayList<>(List.of(
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
                                + " those whose runbook is on this host (found by the problem's host)."),
                manual(APPROVE_HELD, approveCommand(vcrPath), 3,
                        "Approve automatic recovery of held failures on {HOST.NAME}?",
                        "Start it on the recovery (standby) VM: approves each recovery the circuit breaker or the kill switch held"
                                + " there (open problems whose last vcr message says held, whose runbook is on this VM), one approval"
                                + " per service, and runs those recoveries now with all their checks (vcr approve --held)."
                                + " Other services and other VMs stay held."),
                manual(REBALANCE_NOW, rebalanceCommand(vcrPath), 3,
                        "Move a recovered service off each recovery VM whose CPU-high problem is open? Clients follow DNS to the new one.",
                        "Runs what the rebalance action runs (vcr rebalance --pending): for each recovery VM with an open, unacknowledged"
                                + " CPU-high problem whose CPU average is still high, one recovered service moves make-before-break to the"
                                + " least loaded other recovery VM (started, checked, DNS switched, the record's TTL waited, the old"
                                + " container stopped)."),
                manual(SHOW_REBALANCE, rebalancePlanCommand(vcrPath), 2, "",
                        "Prints the recovery VMs' CPU averages and what vcr rebalance --pending would move where now, without"
                                + " changing anything."),
                action(ACTION_REBALANCE, rebalanceCommand(vcrPath), true,
                        "Run by the action \"" + ActionSpecs.REBALANCE + "\": vcr reads the open CPU-high problems of the recovery VMs"
                                + " from the Zabbix API and moves a recovered service off each, make-before-break."),
                action(ACTION_POOL_GROW, poolCommand(vcrPath, "grow"), onStandbyAgent,
                        "Run by the action \"" + ActionSpecs.POOL_GROW + "\" (again every minute while the problem lasts): vcr reads the"
                                + " open pool-grow problems from the Zabbix API and grows each pool whose runbook is on this host by one"
                                + " member, unless its min-interval since the last change has not passed."),
                action(ACTION_POOL_SHRINK, poolCommand(vcrPath, "shrink"), onStandbyAgent,
                        "Run by the action \"" + ActionSpecs.POOL_SHRINK + "\" (again every minute while the problem lasts): vcr shrinks"
                                + " each pool with an open pool-shrink problem whose runbook is on this host by one member, never below"
                                + " its min-active."),
                manual(POOL_STATUS, vcrPath + " pool status", 2, "",
                        "Start it on the recovery VM: every pool whose runbook is there, each member's role (active, standby, idle)"
                                + " and check, the thresholds and the last change (vcr pool status). Changes nothing."),
                manual(POOL_GROW_NOW, poolCommand(vcrPath, "grow"), 3,
                        "Grow now every pool with an open grow problem whose runbook is on {HOST.NAME}?",
                        "Start it on the recovery VM: runs what the grow action runs (vcr pool grow --pending) now."),
                manual(POOL_SHRINK_NOW, poolCommand(vcrPath, "shrink"), 3,
                        "Shrink now every pool with an open shrink problem whose runbook is on {HOST.NAME}?",
                        "Start it on the recovery VM: runs what the shrink action runs (vcr pool shrink --pending) now.")));
        if (menu.offersChoice()) out.add(recoverOn(vcrPath, menu.choiceList()));
        return List.copyOf(out);
    }

    private static Spec recoverOn(String vcrPath, String list) {
        Spec base = manual(RECOVER_ON, recoverOnCommand(vcrPath, "{MANUALINPUT}"), 3,
                "Recover now, on the chosen standby, every pending vcrecovery problem whose runbook on {HOST.NAME} has that standby?"
                        + " DNS will point clients at it.",
                "Start it on the recovery (standby) VM: as \"recover pending now\", but only for the pending problems whose runbook has"
                        + " the chosen standby, and with that standby only (vcr recover --pending --standby NAME). The agent there"
                        + " must allow each choice's line: vcr zabbix agent-rules prints them.");
        Map<String, Object> f = new LinkedHashMap<>(base.fields());
        f.put("manualinput", "1");
        f.put("manualinput_prompt", "Standby to recover on ({HOST.NAME})");
        f.put("manualinput_validator_type", "1");
        f.put("manualinput_validator", list);
        return new Spec(RECOVER_ON, f);
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
