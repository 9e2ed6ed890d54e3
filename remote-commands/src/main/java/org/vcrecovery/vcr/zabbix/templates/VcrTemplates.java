package org.vcrecovery.vcr.zabbix.templates;

import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.dependency;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.field;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.m;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.tags;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.widget;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source of {@code zabbix-templates/*.yaml} (this package is the generator of that directory;
 * nothing in vcr uses it at run time): the three vcrecovery templates, written as code so that UUIDs are derived (stable across regenerations) and the digest line in each
 * template's description always matches its content. {@code TemplatesTest} fails when the
 * committed files differ from what this produces; rerun it with {@code -Dvcr.templates.write=true}
 * to rewrite them.
 *
 * <p>The item keys of the KVM host template are the trap listener's contract
 * ({@code org.vcrecovery.listener.ItemKeys}): never rename them here alone.
 *
 * <p>(Over 300 lines on purpose: it is data written as code, one declaration per item, trigger,
 * macro and discovery rule of the three templates, read top to bottom like the YAML it produces;
 * the machinery is already apart ({@link TemplateDsl}, {@code Uuids}, {@code YamlEmitter},
 * {@code Format70}). One file per template is the next split if it keeps growing.)
 */
public final class VcrTemplates {
    public static final String KVM = "vcrecovery KVM host";
    public static final String SERVICE = "vcrecovery service VM";
    public static final String STANDBY = "vcrecovery standby VM";
    public static final String POOL = PoolTemplate.NAME;

    private VcrTemplates() {
    }

    /**
     * Writes every template file into the directory {@code args[0]} (default {@code zabbix-templates}):
     * {@code java -cp remote-commands/target/classes:... org.vcrecovery.vcr.zabbix.templates.VcrTemplates DIR}.
     * TemplatesTest does the same with {@code -Dvcr.templates.write=true}.
     */
    public static void main(String[] args) throws java.io.IOException {
        write(java.nio.file.Path.of(args.length > 0 ? args[0] : "zabbix-templates"));
    }

    /** The subdirectory holding the same templates in Zabbix 7.0's export format. */
    public static final String DIR_7_0 = org.vcrecovery.vcr.zabbix.TemplateBundle.DIR_7_0;

    /** Writes {@link #files()} into {@code dir} (creating {@code dir/7.0}). */
    public static void write(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve(DIR_7_0));
        for (Map.Entry<String, String> f : files().entrySet()) {
            java.nio.file.Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Relative file name → YAML text, in a fixed order: the three templates in format 6.0 (which
     * 6.0 and every later version import), then the same three in format 7.0 under {@code 7.0/}
     * ({@link Format70}), which {@code vcr zabbix install} imports on 7.0 and later.
     */
    public static Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        for (boolean v70 : new boolean[] {false, true}) {
            String prefix = v70 ? DIR_7_0 + "/" : "";
            out.put(prefix + "vcrecovery_kvm_host.yaml", render(kvmHost(), v70));
            out.put(prefix + "vcrecovery_service_vm.yaml", render(serviceVm(), v70));
            out.put(prefix + "vcrecovery_standby_vm.yaml", render(standbyVm(), v70));
            out.put(prefix + "vcrecovery_pool.yaml", render(PoolTemplate.pool(), v70));
        }
        return out;
    }

    /** The export text; its digest line is the digest of the same text without it. */
    static String render(TemplateDsl t, boolean v70) {
        String body = YamlEmitter.emit(export(t, null, v70));
        return YamlEmitter.emit(export(t, org.vcrecovery.vcr.zabbix.TemplateBundle.DIGEST_PREFIX + digest(body), v70));
    }

    private static Map<String, Object> export(TemplateDsl t, String digestLine, boolean v70) {
        Map<String, Object> e = t.export(digestLine);
        return v70 ? Format70.convert(e) : e;
    }

    static String digest(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- KVM host

    /** The global macro {@code vcr zabbix install} sets: the only senders the KVM template's trapper items accept. */
    public static final String LISTENER_ADDRESSES = "{$VCR.LISTENER.ADDRESSES}";

    static final String HOST_DOWN = "KVM host {HOST.NAME} is down: no ICMP reply for {$VCR.ICMP.DOWN.TIME}";
    static final String HOST_DOWN_FAST = "KVM host {HOST.NAME} is down: port {$VCR.HOST.CHECK.PORT} closed and no listener"
            + " heartbeat for {$VCR.HOST.DOWN.WINDOW}";
    static final String HOST_CHECK = "net.tcp.service[tcp,,{$VCR.HOST.CHECK.PORT}]";
    static final String HEARTBEAT = "vcr.listener.heartbeat";

    static TemplateDsl kvmHost() {
        TemplateDsl t = new TemplateDsl(KVM, """
                A KVM host whose VMs vcrecovery protects. Link it to every hypervisor that runs the \
                vcrecovery trap listener; the host's technical name must be the host name the listener \
                is configured to send as.

                The listener sends the VM list (low-level discovery), each VM's state, CPU and last \
                lifecycle event, and its own statistics to this host's trapper items. Availability comes \
                from ICMP (fping must be installed on the Zabbix server or proxy) and the Zabbix agent: \
                give the host an agent interface with its address.

                Every trapper item (and the VM discovery) accepts values only from the addresses in the \
                global macro {$VCR.LISTENER.ADDRESSES}, which `vcr zabbix install --listener-addresses` sets \
                (a host macro of that name overrides it for one host): nobody else can fake a VM state.

                VM-down and host-down problems carry the tag vcrecovery=vm-down|host-down; the actions \
                that `vcr zabbix install` creates select on it and run `vcr recover --pending`.""");
        t.valuemap("libvirt domain state", "0", "nostate", "1", "running", "2", "blocked", "3", "paused",
                "4", "shutdown", "5", "shutoff", "6", "crashed", "7", "pmsuspended");
        t.valuemap("vcrecovery service state", "0", "down", "1", "up");
        t.valuemap("vcrecovery agent availability", "0", "not available", "1", "available", "2", "unknown");

        t.macro("{$VCR.ICMP.INTERVAL}", "10s",
                "How often the Zabbix server pings this host. Shorter detects a dead host sooner, at the cost of more pings.");
        t.macro("{$VCR.ICMP.DOWN.TIME}", "30s",
                "How long every ping must fail before the host-down problem fires and every VM of this host is recovered elsewhere. Raise it if short network blips cause failovers.");
        t.macro("{$VCR.HOST.DOWN.REQUIRE.AGENT}", "1",
                "1: host-down also needs the Zabbix agent to be unavailable for {$VCR.AGENT.DOWN.TIME} (two independent signals, fewer false failovers). 0: ICMP alone decides (faster, use when the host has no agent).");
        t.macro("{$VCR.AGENT.DOWN.TIME}", "1m",
                "How long the agent must have been unavailable to count toward host-down.");
        t.macro("{$VCR.HOST.CHECK.PORT}", "22",
                "A TCP port the KVM host itself answers on (sshd, or libvirtd's 16509): the server connects to it every {$VCR.HOST.CHECK.INTERVAL}. Together with the listener's heartbeat it drives the fast host-down trigger.");
        t.macro("{$VCR.HOST.CHECK.INTERVAL}", "1s",
                "How often the server checks {$VCR.HOST.CHECK.PORT}. Each value re-evaluates the fast host-down trigger (value-driven: no timer in the loop).");
        t.macro("{$VCR.HOST.DOWN.WINDOW}", "3s",
                "The fast host-down problem fires when, for this long, every check of {$VCR.HOST.CHECK.PORT} failed AND no listener heartbeat arrived (the listener sends one per self-monitoring interval: set it to 1s). Two independent signals: one missing value of either never fires it. Keep it at least 3 times the heartbeat interval.");
        t.macro("{$VCR.HOST.DOWN.ARMED}", "12s",
                "The fast host-down trigger is armed only while the host's listener sent at least 3 heartbeats in this time (4 times {$VCR.HOST.DOWN.WINDOW}): a host whose listener heartbeats rarely (the 60 s default) or not at all never gets it from a closed port alone; the ICMP trigger still watches it.");
        t.macro("{$VCR.VM.NAME.MATCHES}", "^[A-Za-z0-9_.:+@-]+$",
                "Only VMs whose name matches this regular expression are discovered. The default admits names that are safe to pass to `vcr recover` on a shell command line; a VM with other characters in its name is not monitored (rename it rather than widen this).");
        t.macro("{$VCR.VM.DOWN.ON.SHUTOFF}", "1",
                "1: a VM in state shutoff is a VM-down problem and is recovered. Per VM with context, e.g. {$VCR.VM.DOWN.ON.SHUTOFF:\"backup01\"} = 0 for a VM that is meant to be off.");
        t.macro("{$VCR.VM.DOWN.ON.PAUSED}", "1",
                "1: a paused VM is a VM-down problem and is recovered. Set 0 (globally or per VM with context) where pausing is routine, e.g. during snapshots.");
        t.macro("{$VCR.VM.DOWN.ON.PMSUSPENDED}", "0",
                "1: a VM suspended by guest power management is a VM-down problem. Off by default: guests that suspend themselves usually mean it.");
        t.macro("{$VCR.VM.CPU.HIGH}", "90",
                "CPU % of a VM above which, for {$VCR.VM.CPU.HIGH.TIME}, a warning fires. Per VM with context: {$VCR.VM.CPU.HIGH:\"db01\"}.");
        t.macro("{$VCR.VM.CPU.HIGH.TIME}", "5m",
                "How long a VM's CPU must stay above {$VCR.VM.CPU.HIGH} before the warning fires. Per VM with context.");
        t.macro("{$VCR.LISTENER.NODATA}", "5m",
                "No statistics from the vcrecovery listener for this long means it is down or cannot reach Zabbix: VM failures are then not seen.");
        t.macro("{$VCR.LISTENER.SPOOL.WARN}", "104857600",
                "Bytes in the listener's disk spool above which a warning fires: values are waiting for Zabbix and recoveries may start late.");

        List<Map<String, Object>> availability = tags("component", "availability");
        t.item("icmpping", "ICMP ping",
                "1 when the host answers ICMP echo, 0 when it does not. Needs fping on the Zabbix server or proxy (FpingLocation). Feeds the host-down trigger.",
                availability, "type", "SIMPLE", "delay", "{$VCR.ICMP.INTERVAL}",
                "valuemap", m("name", "vcrecovery service state"));
        t.item(HOST_CHECK, "KVM host port {$VCR.HOST.CHECK.PORT} reachable",
                "1 when the server can open a TCP connection to the host's port {$VCR.HOST.CHECK.PORT}, 0 when not, every {$VCR.HOST.CHECK.INTERVAL}. One of the two signals of the fast host-down trigger.",
                availability, "type", "SIMPLE", "delay", "{$VCR.HOST.CHECK.INTERVAL}",
                "valuemap", m("name", "vcrecovery service state"));
        t.item(HEARTBEAT, "Listener: heartbeat",
                "1 per self-monitoring interval from the vcrecovery listener running on this host (self-monitoring.interval: 1s in its config). The other signal of the fast host-down trigger: none for {$VCR.HOST.DOWN.WINDOW} while the port check fails means the host is down.",
                availability, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES);
        t.item("zabbix[host,agent,available]", "Zabbix agent availability",
                "Availability of this host's Zabbix agent interface as the server sees it. 0 with ICMP also failing means the host is down.",
                availability, "type", "INTERNAL", "valuemap", m("name", "vcrecovery agent availability"));

        List<Map<String, Object>> listener = tags("component", "vcrecovery-listener");
        listenerCounter(t, "vcr.listener.traps.received", "Listener: traps received",
                "SNMP traps and libvirt events the listener received since it started. If this stops rising while VMs change state, check that libvirt-snmp sends traps to the listener's port.", listener);
        listenerCounter(t, "vcr.listener.traps.invalid", "Listener: traps invalid",
                "Traps the listener could not decode (malformed PDU, wrong community or SNMPv3 keys) since it started. Rising: check the trap sender's credentials against the listener's config.", listener);
        listenerCounter(t, "vcr.listener.traps.unknown", "Listener: traps unknown",
                "Well-formed traps whose OID the listener does not map since it started; their text goes to the item vcr.trap.unknown.", listener);
        listenerCounter(t, "vcr.listener.values.sent", "Listener: values sent",
                "Values the Zabbix server accepted from the listener since it started.", listener);
        listenerCounter(t, "vcr.listener.values.failed", "Listener: values failed",
                "Values the Zabbix server rejected since the listener started (usually an item missing on this host: check the template is linked and the host name matches).", listener);
        listenerCounter(t, "vcr.listener.values.spooled", "Listener: values spooled",
                "Values written to the disk spool because Zabbix could not be reached, since the listener started. They are replayed in order once it answers.", listener);
        listenerCounter(t, "vcr.listener.values.dropped", "Listener: values dropped",
                "Values lost since the listener started because the spool was full. Any rise is data loss: free disk space or raise the spool limit.", listener);
        t.item("vcr.listener.spool.bytes", "Listener: spool size",
                "Bytes waiting in the listener's disk spool for Zabbix. Grows while Zabbix is unreachable.",
                listener, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES, "units", "B");
        t.item("vcr.listener.last.event.age", "Listener: age of the last event",
                "Seconds since the listener last received a trap or libvirt event. Large on a busy host means the event source stopped.",
                listener, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES, "units", "s");
        t.item("vcr.trap.unknown", "Listener: last unknown trap",
                "A readable rendering of the last trap the listener could not map to a VM item (OID and variable bindings). Use it to extend the listener's mapping.",
                listener, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES, "value_type", "TEXT", "trends", "0");

        String hostDownExpr = "max(" + t.ref("icmpping") + ",{$VCR.ICMP.DOWN.TIME})=0"
                + " and (max(" + t.ref("zabbix[host,agent,available]") + ",{$VCR.AGENT.DOWN.TIME})=0"
                + " or {$VCR.HOST.DOWN.REQUIRE.AGENT}=0)";
        // Value-driven: re-evaluated each time a port check value (every {$VCR.HOST.CHECK.INTERVAL})
        // or a heartbeat arrives. A nodata() trigger would wait for the timer process instead (the
        // lost first attempt never fired within 60 s on 7.0).
        // Armed only for a host whose listener heartbeats often (3 in {$VCR.HOST.DOWN.ARMED}): a
        // listener left at the 60 s default, or none, never lets a closed port alone fire it (and
        // suppress the VM-down problems). It closes only when the port or a heartbeat answers
        // again, not when the arming window has passed.
        String fastExpr = "max(" + t.ref(HOST_CHECK) + ",{$VCR.HOST.DOWN.WINDOW})=0"
                + " and count(" + t.ref(HEARTBEAT) + ",{$VCR.HOST.DOWN.WINDOW})=0"
                + " and count(" + t.ref(HEARTBEAT) + ",{$VCR.HOST.DOWN.ARMED})>=3";
        String fastRecovery = "max(" + t.ref(HOST_CHECK) + ",{$VCR.HOST.DOWN.WINDOW})=1"
                + " or count(" + t.ref(HEARTBEAT) + ",{$VCR.HOST.DOWN.WINDOW})>0";
        t.trigger(HOST_DOWN_FAST, fastExpr, fastRecovery, "DISASTER",
                "For {$VCR.HOST.DOWN.WINDOW}, every check of the host's port {$VCR.HOST.CHECK.PORT} failed and its listener sent no heartbeat: two independent signals, so one missing value never fires it. Every VM on it is down: the vcrecovery action runs `vcr recover --pending`, which recovers every VM whose runbook names this host as primary.kvm-host (vcr recover --host-down), the host proven dead once. Check power, network and the hypervisor; fail back with `vcr recover --failback` once it is healthy.",
                tags("vcrecovery", "host-down", "scope", "availability"));
        List<Map<String, Object>> fastDown = List.of(dependency(HOST_DOWN_FAST, fastExpr, fastRecovery));
        t.trigger(HOST_DOWN, hostDownExpr, "DISASTER",
                "The host answers no ping (and, unless {$VCR.HOST.DOWN.REQUIRE.AGENT} is 0, its agent is unavailable). Every VM on it is down: the vcrecovery action runs `vcr recover` for this host, which brings up the standbys and switches DNS. Check power, network and the hypervisor; fail back with `vcr recover --failback` on the recovery VM once it is healthy. The slow path: it waits while the fast host-down problem is open.",
                tags("vcrecovery", "host-down", "scope", "availability"), fastDown);
        t.trigger("vcrecovery listener on {HOST.NAME}: no statistics for {$VCR.LISTENER.NODATA}",
                "nodata(" + t.ref("vcr.listener.traps.received") + ",{$VCR.LISTENER.NODATA})=1", "HIGH",
                "The trap listener sends its statistics every few seconds; none arrived. VM failures on this host are not being seen. Check `systemctl status vcrecovery-listener` on the host and that it can reach the Zabbix trapper port.",
                tags("vcrecovery", "listener-down", "scope", "availability"),
                List.of(dependency(HOST_DOWN, hostDownExpr), dependency(HOST_DOWN_FAST, fastExpr, fastRecovery)));
        t.trigger("vcrecovery listener on {HOST.NAME}: values dropped",
                "change(" + t.ref("vcr.listener.values.dropped") + ")>0", "AVERAGE",
                "The listener's spool was full and it discarded values: some VM state changes never reached Zabbix. Free disk space on the host or raise the spool limit in the listener config.",
                tags("vcrecovery", "listener-loss", "scope", "capacity"), null);
        t.trigger("vcrecovery listener on {HOST.NAME}: spool above {$VCR.LISTENER.SPOOL.WARN} bytes",
                "last(" + t.ref("vcr.listener.spool.bytes") + ")>{$VCR.LISTENER.SPOOL.WARN}", "WARNING",
                "Values are queuing on disk because the Zabbix server does not accept them; recoveries may start late. Check the network path to the trapper port and the server's trapper processes.",
                tags("vcrecovery", "listener-spool", "scope", "capacity"), null);

        t.discoveryRule(vmDiscovery(t, hostDownExpr, fastExpr, fastRecovery));
        t.graph("Listener: traps and values", "vcr.listener.traps.received", "1A7C11",
                "vcr.listener.values.sent", "2774A4", "vcr.listener.values.spooled", "F7941D",
                "vcr.listener.values.dropped", "FC6EA3");
        // One graph per prototype widget (a page per VM): with two columns, a host with one VM
        // showed an empty slot in each. Rows of equal height, each filled edge to edge: the item
        // widgets get a third of the width so their value, name and time are not cut short; 12 rows
        // in all, so the whole dashboard fits a 1200 px high browser under the open time filter.
        t.dashboard("vcrecovery: KVM host", List.of(
                widget("GRAPH_PROTOTYPE", "VM states", 0, 0, 12, 5, List.of(
                        field("INTEGER", "columns", "1"),
                        field("GRAPH_PROTOTYPE", "graphid", m("name", "VM {#VM.NAME}: state", "host", KVM)))),
                widget("GRAPH_PROTOTYPE", "VM CPU", 12, 0, 12, 5, List.of(
                        field("INTEGER", "columns", "1"),
                        field("GRAPH_PROTOTYPE", "graphid", m("name", "VM {#VM.NAME}: CPU", "host", KVM)))),
                widget("ITEM", "Host reachable", 0, 5, 8, 3, List.of(
                        field("ITEM", "itemid", m("key", "icmpping", "host", KVM)))),
                widget("ITEM", "Last event age", 8, 5, 8, 3, List.of(
                        field("ITEM", "itemid", m("key", "vcr.listener.last.event.age", "host", KVM)))),
                widget("ITEM", "Spool", 16, 5, 8, 3, List.of(
                        field("ITEM", "itemid", m("key", "vcr.listener.spool.bytes", "host", KVM)))),
                widget("GRAPH_CLASSIC", "Listener: traps and values", 0, 8, 12, 4, List.of(
                        field("GRAPH", "graphid", m("name", "Listener: traps and values", "host", KVM)))),
                widget("PLAIN_TEXT", "Unknown traps", 12, 8, 12, 4, List.of(
                        field("ITEM", "itemids", m("key", "vcr.trap.unknown", "host", KVM)),
                        field("INTEGER", "show_lines", "5")))));
        return t;
    }

    private static void listenerCounter(TemplateDsl t, String key, String name, String description,
            List<Map<String, Object>> tags) {
        t.item(key, name, description, tags, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES);
    }

    private static Map<String, Object> vmDiscovery(TemplateDsl t, String hostDownExpr, String fastExpr, String fastRecovery) {
        String state = t.ref("vcr.vm.state[{#VM.NAME}]");
        String cpu = t.ref("vcr.vm.cpu[{#VM.NAME}]");
        List<Map<String, Object>> vmTags = tags("component", "vm", "vm", "{#VM.NAME}");
        List<Map<String, Object>> prototypes = List.of(
                t.itemMap("item_prototype", "vcr.vm.state[{#VM.NAME}]", "VM {#VM.NAME}: state",
                        "libvirt state of VM {#VM.NAME} (UUID {#VM.UUID}), sent by the listener on every lifecycle event and periodically. Triggers decide which states are trouble through the {$VCR.VM.DOWN.ON.*} macros.",
                        vmTags, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES, "valuemap", m("name", "libvirt domain state")),
                t.itemMap("item_prototype", "vcr.vm.cpu[{#VM.NAME}]", "VM {#VM.NAME}: CPU",
                        "CPU used by VM {#VM.NAME} in % of its vCPUs, sampled by the listener every few seconds.",
                        vmTags, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES, "value_type", "FLOAT", "units", "%"),
                t.itemMap("item_prototype", "vcr.vm.event[{#VM.NAME}]", "VM {#VM.NAME}: last event",
                        "The last libvirt lifecycle event of VM {#VM.NAME} with its detail, e.g. \"STOPPED DESTROYED\" or \"SUSPENDED PAUSED\". Tells why the state changed.",
                        vmTags, "type", "TRAP", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES, "value_type", "TEXT", "trends", "0"));
        List<Map<String, Object>> hostDown = List.of(dependency(HOST_DOWN, hostDownExpr), dependency(HOST_DOWN_FAST, fastExpr, fastRecovery));
        String downExpr = "(last(" + state + ")=5 and {$VCR.VM.DOWN.ON.SHUTOFF:\"{#VM.NAME}\"}=1)"
                + " or (last(" + state + ")=3 and {$VCR.VM.DOWN.ON.PAUSED:\"{#VM.NAME}\"}=1)"
                + " or (last(" + state + ")=7 and {$VCR.VM.DOWN.ON.PMSUSPENDED:\"{#VM.NAME}\"}=1)";
        List<Map<String, Object>> triggers = List.of(
                m("uuid", t.uuid("trigger_prototype", "VM {#VM.NAME} crashed"),
                        "expression", "last(" + state + ")=6", "name", "VM {#VM.NAME} crashed",
                        "priority", "HIGH",
                        "description", "libvirt reports VM {#VM.NAME} crashed. The vcrecovery action recovers its services onto the standby and switches DNS. Look at the VM's qemu log on this host before restarting it.",
                        "dependencies", hostDown,
                        "tags", tags("vcrecovery", "vm-down", "vm", "{#VM.NAME}")),
                m("uuid", t.uuid("trigger_prototype", "VM {#VM.NAME} is {ITEM.LASTVALUE1} but should be running"),
                        "expression", downExpr,
                        "name", "VM {#VM.NAME} is {ITEM.LASTVALUE1} but should be running",
                        "priority", "HIGH",
                        "description", "VM {#VM.NAME} is shut off, paused or suspended, and the {$VCR.VM.DOWN.ON.*} macros say that state is trouble for it. The vcrecovery action recovers its services. If the VM is meant to be in this state, set the macro to 0 with the VM's name as context.",
                        "dependencies", hostDown,
                        "tags", tags("vcrecovery", "vm-down", "vm", "{#VM.NAME}")),
                m("uuid", t.uuid("trigger_prototype", "VM {#VM.NAME}: CPU above {$VCR.VM.CPU.HIGH:\"{#VM.NAME}\"}%"),
                        "expression", "min(" + cpu + ",{$VCR.VM.CPU.HIGH.TIME:\"{#VM.NAME}\"})>{$VCR.VM.CPU.HIGH:\"{#VM.NAME}\"}",
                        "name", "VM {#VM.NAME}: CPU above {$VCR.VM.CPU.HIGH:\"{#VM.NAME}\"}%",
                        "priority", "WARNING",
                        "description", "VM {#VM.NAME} has used more than {$VCR.VM.CPU.HIGH:\"{#VM.NAME}\"}% CPU for {$VCR.VM.CPU.HIGH.TIME:\"{#VM.NAME}\"}. No recovery runs; check the workload or give the VM more vCPUs.",
                        "dependencies", hostDown,
                        "tags", tags("vcrecovery", "vm-cpu-high", "vm", "{#VM.NAME}")));
        List<Map<String, Object>> graphs = List.of(
                m("uuid", t.uuid("graph_prototype", "VM {#VM.NAME}: CPU"), "name", "VM {#VM.NAME}: CPU",
                        "graph_items", List.of(m("color", "1A7C11", "item", m("host", KVM, "key", "vcr.vm.cpu[{#VM.NAME}]")))),
                m("uuid", t.uuid("graph_prototype", "VM {#VM.NAME}: state"), "name", "VM {#VM.NAME}: state",
                        "ymin_type_1", "FIXED", "ymax_type_1", "FIXED", "yaxismax", "7",
                        "graph_items", List.of(m("color", "2774A4", "item", m("host", KVM, "key", "vcr.vm.state[{#VM.NAME}]")))));
        return m("uuid", t.uuid("discovery_rule", "vcr.vm.discovery"),
                "name", "VM discovery (vcrecovery listener)",
                "type", "TRAP", "key", "vcr.vm.discovery", "delay", "0", "allowed_hosts", LISTENER_ADDRESSES,
                "filter", m("conditions", List.of(m("macro", "{#VM.NAME}", "value", "{$VCR.VM.NAME.MATCHES}", "formulaid", "A"))),
                "lifetime", "7d",
                "description", "The listener sends the host's VMs as a JSON array of {\"{#VM.NAME}\": name, \"{#VM.UUID}\": uuid} objects when it starts and whenever a VM is defined or undefined. Items of a VM that disappears are kept 7 days.",
                "item_prototypes", prototypes,
                "trigger_prototypes", triggers,
                "graph_prototypes", graphs);
    }

    // ---------------------------------------------------------------- service VM

    static final String VM_UNREACHABLE = "VM {HOST.NAME} is unreachable: no ICMP reply for {$VCR.ICMP.DOWN.TIME}";

    static TemplateDsl serviceVm() {
        TemplateDsl t = new TemplateDsl(SERVICE, """
                A VM whose services vcrecovery recovers (the primary of a runbook). Link it to the VM's \
                host in Zabbix (its technical name is what runbooks refer to).

                Simple checks from the Zabbix server or proxy (they need an interface on the host: \
                add an agent interface with the VM's address) watch the services the VM runs — HTTP, \
                SMTP, FTP, SSH — and the VM's reachability. The service triggers depend on the \
                unreachable trigger, so a dead VM raises one problem, not five; that problem carries \
                vcrecovery=host-down and starts the recovery. Turn off the checks of a service the VM \
                does not run with {$VCR.SERVICE.WATCH:"<service>"} = 0.""");
        t.valuemap("vcrecovery service state", "0", "down", "1", "up");
        t.macro("{$VCR.SERVICE.ADDRESS}", "",
                "Address the checks connect to. Empty: the host's interface address. Set it to the service name (e.g. www.example.test) to check what clients reach, through DNS.");
        t.macro("{$VCR.SERVICE.INTERVAL}", "10s", "How often each service is checked.");
        t.macro("{$VCR.ICMP.INTERVAL}", "10s", "How often the VM is pinged.");
        t.macro("{$VCR.ICMP.DOWN.TIME}", "30s",
                "How long every ping must fail before the VM counts as unreachable and its services are recovered.");
        t.macro("{$VCR.SERVICE.DOWN.TIME}", "30s",
                "How long a service check must fail before its problem fires.");
        t.macro("{$VCR.SERVICE.WATCH}", "1",
                "1: raise problems for this service. Per service with context, e.g. {$VCR.SERVICE.WATCH:\"ftp\"} = 0 on a VM without FTP.");
        t.macro("{$VCR.SERVICE.SLOW}", "1",
                "Response time in seconds above which (for {$VCR.SERVICE.SLOW.TIME}) a service counts as slow. Per service with context, e.g. {$VCR.SERVICE.SLOW:\"smtp\"}.");
        t.macro("{$VCR.SERVICE.SLOW.TIME}", "5m", "How long a service must stay slow before the warning fires.");
        t.macro("{$VCR.HTTP.PORT}", "80", "TCP port of the HTTP service.");
        t.macro("{$VCR.SMTP.PORT}", "25", "TCP port of the SMTP service.");
        t.macro("{$VCR.FTP.PORT}", "21", "TCP port of the FTP service.");
        t.macro("{$VCR.SSH.PORT}", "22", "TCP port of the SSH service.");

        String ping = "icmpping[{$VCR.SERVICE.ADDRESS}]";
        t.item(ping, "ICMP ping",
                "1 when the VM answers ICMP echo. Needs fping on the Zabbix server or proxy. Feeds the unreachable trigger, which starts the recovery.",
                tags("component", "availability"), "type", "SIMPLE", "delay", "{$VCR.ICMP.INTERVAL}",
                "valuemap", m("name", "vcrecovery service state"));
        String unreachableExpr = "max(" + t.ref(ping) + ",{$VCR.ICMP.DOWN.TIME})=0";
        t.trigger(VM_UNREACHABLE, unreachableExpr, "HIGH",
                "The VM answers no ping. The vcrecovery action recovers its services onto the standby and switches DNS. Check the VM and its KVM host; fail back with `vcr recover --failback` on the recovery VM when it is healthy.",
                tags("vcrecovery", "host-down", "scope", "availability"), null);
        String[][] services = {
            {"http", "HTTP", "{$VCR.HTTP.PORT}", "the web server answers an HTTP request"},
            {"smtp", "SMTP", "{$VCR.SMTP.PORT}", "the mail server sends its 220 greeting"},
            {"ftp", "FTP", "{$VCR.FTP.PORT}", "the FTP server sends its 220 greeting"},
            {"ssh", "SSH", "{$VCR.SSH.PORT}", "the SSH server sends its version banner"},
        };
        String[] colors = {"1A7C11", "F63100", "2774A4", "A54F10"};
        List<String> graphArgs = new java.util.ArrayList<>();
        for (int i = 0; i < services.length; i++) {
            String[] s = services[i];
            String key = "net.tcp.service[" + s[0] + ",{$VCR.SERVICE.ADDRESS}," + s[2] + "]";
            String perf = "net.tcp.service.perf[" + s[0] + ",{$VCR.SERVICE.ADDRESS}," + s[2] + "]";
            List<Map<String, Object>> svcTags = tags("component", "service", "service", s[0]);
            t.item(key, s[1] + " service",
                    "1 when " + s[3] + " on " + s[2] + ", 0 when not. Checked by the Zabbix server or proxy.",
                    svcTags, "type", "SIMPLE", "delay", "{$VCR.SERVICE.INTERVAL}",
                    "valuemap", m("name", "vcrecovery service state"));
            t.item(perf, s[1] + " response time",
                    "Seconds " + s[1] + " took to answer; 0 when it did not answer.",
                    svcTags, "type", "SIMPLE", "delay", "{$VCR.SERVICE.INTERVAL}", "value_type", "FLOAT", "units", "s");
            String downName = s[1] + " on {HOST.NAME} is down";
            String downExpr = "max(" + t.ref(key) + ",{$VCR.SERVICE.DOWN.TIME})=0 and {$VCR.SERVICE.WATCH:\"" + s[0] + "\"}=1";
            t.trigger(downName, downExpr, "AVERAGE",
                    s[1] + " has not answered for {$VCR.SERVICE.DOWN.TIME} although the VM answers ping. Restart the service on the VM, or run `vcr recover --runbook NAME` on the recovery VM to move it to the standby. Suppressed while the VM is unreachable.",
                    tags("vcrecovery", "service-down", "service", s[0]),
                    List.of(dependency(VM_UNREACHABLE, unreachableExpr)));
            t.trigger(s[1] + " on {HOST.NAME} is slow", "min(" + t.ref(perf) + ",{$VCR.SERVICE.SLOW.TIME})>{$VCR.SERVICE.SLOW:\"" + s[0] + "\"} and {$VCR.SERVICE.WATCH:\"" + s[0] + "\"}=1", "WARNING",
                    s[1] + " has taken longer than {$VCR.SERVICE.SLOW:\"" + s[0] + "\"} s to answer for {$VCR.SERVICE.SLOW.TIME}. No recovery runs; check the VM's load.",
                    tags("vcrecovery", "service-slow", "service", s[0]),
                    List.of(dependency(downName, downExpr), dependency(VM_UNREACHABLE, unreachableExpr)));
            graphArgs.add(perf);
            graphArgs.add(colors[i]);
        }
        t.graph("Service response times", graphArgs.toArray(String[]::new));
        List<Map<String, Object>> widgets = new java.util.ArrayList<>();
        widgets.add(widget("GRAPH_CLASSIC", "Service response times", 0, 0, 16, 6, List.of(
                field("GRAPH", "graphid", m("name", "Service response times", "host", SERVICE)))));
        widgets.add(widget("ITEM", "Reachable", 16, 0, 8, 3, List.of(
                field("ITEM", "itemid", m("key", ping, "host", SERVICE)))));
        for (int i = 0; i < services.length; i++) {
            String key = "net.tcp.service[" + services[i][0] + ",{$VCR.SERVICE.ADDRESS}," + services[i][2] + "]";
            widgets.add(widget("ITEM", services[i][1], 16 + (i % 2) * 4, 3 + (i / 2) * 3, 4, 3, List.of(
                    field("ITEM", "itemid", m("key", key, "host", SERVICE)))));
        }
        t.dashboard("vcrecovery: services", widgets);
        return t;
    }

    // ---------------------------------------------------------------- standby VM

    /** Counts the JVMs bin/vcr starts for `vcr serve` (the agent matches the command line). */
    static final String SERVE_KEY = "proc.num[java,,,\"org.vcrecovery.vcr.Vcr serve\"]";
    /** The recovery VM's CPU moving average: what the rebalance trigger fires on and `vcr rebalance` reads. */
    static final String CPU_AVG = "vcr.cpu.avg";
    static final String CPU_HIGH = "Recovery VM {HOST.NAME}: CPU average above {$VCR.STANDBY.CPU.HIGH}%, rebalancing its services";
    static final String STANDBY_AGENT_DOWN = "Recovery VM {HOST.NAME}: agent unavailable, recoveries onto it cannot run";

    static TemplateDsl standbyVm() {
        TemplateDsl t = new TemplateDsl(STANDBY, """
                The recovery (standby) VM that hosts the standby containers and runs `vcr recover` \
                through its Zabbix agent. Link it to that VM's host in Zabbix and install \
                recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf into its agent configuration \
                (the containers-running item and the rules that let the agent run vcr and nothing else).

                When the moving average of its CPU (vcr.cpu.avg) passes {$VCR.STANDBY.CPU.HIGH} %, the \
                CPU trigger fires and the action "vcrecovery: rebalance on CPU high" runs `vcr rebalance \
                --pending` on this VM's agent: recovered services move, make-before-break, to the least \
                loaded other recovery VM. The problem resolves only below {$VCR.STANDBY.CPU.LOW} % (hysteresis).""");
        t.valuemap("vcrecovery agent availability", "0", "not available", "1", "available", "2", "unknown");
        t.macro("{$VCR.AGENT.DOWN.TIME}", "1m",
                "How long the agent must be unavailable before the problem fires. While it is, no recovery can run on this VM.");
        t.macro("{$VCR.STANDBY.INTERVAL}", "10s", "How often CPU, memory and containers are sampled.");
        t.macro("{$VCR.STANDBY.CPU.HIGH}", "70",
                "CPU % (moving average over {$VCR.STANDBY.CPU.WINDOW}) above which the recovery VM counts as overloaded and its services are rebalanced (seed: 70 % on a 30 s average).");
        t.macro("{$VCR.STANDBY.CPU.LOW}", "35",
                "CPU % (moving average) below which the overload problem resolves: half of {$VCR.STANDBY.CPU.HIGH}, so it does not flap. Keep it below HIGH.");
        t.macro("{$VCR.STANDBY.CPU.WINDOW}", "30s",
                "The window of the CPU moving average (vcr.cpu.avg): one high sample does not move it past HIGH, a sustained load does.");
        t.macro("{$VCR.STANDBY.MEMORY.AVAILABLE.MIN}", "10",
                "Available memory in % below which (for 5 minutes) a warning fires: a cold standby may not start.");
        t.macro("{$VCR.STANDBY.CONTAINERS.MIN}", "0",
                "Containers that must be running (warm standbys). Fewer raises a problem. 0 disables the check.");
        t.macro("{$VCR.SERVE}", "1",
                "1: `vcr serve` (systemd/vcr-serve.service) should run on this VM, and a warning fires when it does not. 0: recoveries start a JVM each, no warning.");

        t.item("zabbix[host,agent,available]", "Zabbix agent availability",
                "Availability of the agent that runs the recovery command. Not available: recoveries fail.",
                tags("component", "availability"), "type", "INTERNAL",
                "valuemap", m("name", "vcrecovery agent availability"));
        t.item("vcr.containers.running", "Containers running",
                "Containers running on this VM (UserParameter from recovery-scripts/agent/zabbix_agentd.d/vcrecovery.conf). Not supported: the snippet is not installed in the agent's configuration.",
                tags("component", "standby"), "delay", "{$VCR.STANDBY.INTERVAL}");
        t.item("system.cpu.util", "CPU utilization",
                "CPU used on the recovery VM in % (all CPUs). Feeds the migrate-containers warning.",
                tags("component", "cpu"), "delay", "{$VCR.STANDBY.INTERVAL}", "value_type", "FLOAT", "units", "%");
        t.item(CPU_AVG, "CPU utilization, moving average",
                "avg of system.cpu.util over {$VCR.STANDBY.CPU.WINDOW}: what the rebalance trigger and `vcr rebalance` (choosing the least loaded target) read.",
                tags("component", "cpu"), "type", "CALCULATED", "delay", "{$VCR.STANDBY.INTERVAL}", "value_type", "FLOAT", "units", "%",
                "params", "avg(//system.cpu.util,{$VCR.STANDBY.CPU.WINDOW})");
        t.item("vm.memory.size[pavailable]", "Memory available",
                "Memory available for new processes in % of the total.",
                tags("component", "memory"), "delay", "{$VCR.STANDBY.INTERVAL}", "value_type", "FLOAT", "units", "%");
        t.item(SERVE_KEY, "vcr serve processes",
                "`vcr serve` processes running: the warm JVM that `vcr recover` hands its runs to. 0: every recovery starts a JVM of its own (~0.15 s slower).",
                tags("component", "recovery"), "delay", "{$VCR.STANDBY.INTERVAL}");
        t.item("vcr.recovery.report", "Last recovery report",
                "The one-line outcome of the last `vcr recover` (or `vcr recover --failback`) run for a service with a standby on this VM (service, standby, outcome, duration of each step), sent by vcr itself when vcr.yaml sets zabbix.trapper and the runbook's standby names this host in zabbix-host. The dashboard's \"Recent recoveries\" shows the history.",
                tags("component", "recovery"), "type", "TRAP", "delay", "0", "value_type", "TEXT", "trends", "0");

        String agentExpr = "max(" + t.ref("zabbix[host,agent,available]") + ",{$VCR.AGENT.DOWN.TIME})=0";
        t.trigger(STANDBY_AGENT_DOWN, agentExpr, "HIGH",
                "The Zabbix agent of the recovery VM has been unavailable for {$VCR.AGENT.DOWN.TIME}. Recovery actions run through it and will fail. Check the VM and zabbix-agent on it.",
                tags("vcrecovery", "standby-down", "scope", "availability"), null);
        List<Map<String, Object>> agentDep = List.of(dependency(STANDBY_AGENT_DOWN, agentExpr));
        // The UUID of the trigger this one replaced (min() over a time, no hysteresis): imports update it in place.
        t.trigger("Recovery VM {HOST.NAME}: CPU above {$VCR.STANDBY.CPU.HIGH}% for {$VCR.STANDBY.CPU.HIGH.TIME}, migrate containers off it",
                CPU_HIGH, "last(" + t.ref(CPU_AVG) + ")>{$VCR.STANDBY.CPU.HIGH}", "last(" + t.ref(CPU_AVG) + ")<{$VCR.STANDBY.CPU.LOW}", "WARNING",
                "The recovery VM is overloaded by the services it took over. The action \"vcrecovery: rebalance on CPU high\" runs `vcr rebalance --pending` on its agent: one recovered service moves, make-before-break (started and checked on the least loaded other recovery VM, DNS switched, the record's TTL waited, then the old container stopped). Resolves below {$VCR.STANDBY.CPU.LOW} %.",
                tags("vcrecovery", "rebalance", "scope", "capacity"), agentDep);
        t.trigger("Recovery VM {HOST.NAME}: less than {$VCR.STANDBY.MEMORY.AVAILABLE.MIN}% memory available",
                "max(" + t.ref("vm.memory.size[pavailable]") + ",5m)<{$VCR.STANDBY.MEMORY.AVAILABLE.MIN}", "WARNING",
                "Cold standbys may fail to start. Stop unneeded containers or give the VM more memory.",
                tags("vcrecovery", "standby-memory-low", "scope", "capacity"), agentDep);
        t.trigger("Recovery VM {HOST.NAME}: fewer than {$VCR.STANDBY.CONTAINERS.MIN} containers running",
                "last(" + t.ref("vcr.containers.running") + ")<{$VCR.STANDBY.CONTAINERS.MIN}", "AVERAGE",
                "A warm standby container is not running, so a recovery would have to cold-start it (slower) or fail. Start it with `vcr standby start` or lxc-start.",
                tags("vcrecovery", "standby-containers", "scope", "availability"), agentDep);

        t.trigger("Recovery VM {HOST.NAME}: vcr serve is not running, recoveries start a JVM each",
                "last(" + t.ref(SERVE_KEY) + ")=0 and {$VCR.SERVE}=1", "WARNING",
                "Recoveries still run, each as a fresh JVM, about 0.15 s slower. Start it: systemctl start vcr-serve (journalctl -u vcr-serve says why it stopped). Set {$VCR.SERVE} to 0 on a VM meant to run without it.",
                tags("vcrecovery", "serve-down", "scope", "performance"), agentDep);

        t.graph("Recovery VM: CPU and memory", "system.cpu.util", "F63100", CPU_AVG, "2774A4", "vm.memory.size[pavailable]", "1A7C11");
        t.graph("Recovery VM: containers running", "vcr.containers.running", "2774A4");
        t.dashboard("vcrecovery: recovery VM", List.of(
                widget("GRAPH_CLASSIC", "CPU and memory", 0, 0, 12, 5, List.of(
                        field("GRAPH", "graphid", m("name", "Recovery VM: CPU and memory", "host", STANDBY)))),
                widget("GRAPH_CLASSIC", "Containers running", 12, 0, 8, 5, List.of(
                        field("GRAPH", "graphid", m("name", "Recovery VM: containers running", "host", STANDBY)))),
                widget("ITEM", "Containers now", 20, 0, 4, 5, List.of(
                        field("ITEM", "itemid", m("key", "vcr.containers.running", "host", STANDBY)))),
                widget("PLAIN_TEXT", "Recent recoveries", 0, 5, 24, 5, List.of(
                        field("ITEM", "itemids", m("key", "vcr.recovery.report", "host", STANDBY)),
                        field("INTEGER", "show_lines", "10")))));
        return t;
    }
}
