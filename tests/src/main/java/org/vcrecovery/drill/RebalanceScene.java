package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * The rebalance drill's scene: two recovery VMs, each an LXC path with one container of the
 * service (a busybox httpd) and a Zabbix host "rebalance-vmN" (template "vcrecovery standby VM")
 * watched by a Zabbix agent of its own (started here, on 127.0.0.1:2007N) whose
 * {@code system.cpu.util} is the CPU of that VM's container (an {@code Alias} to a UserParameter
 * reading the container's cgroup usage over half a second: test-driver VMs have no CPU of their
 * own, and agent's {@code proc.cpu.util} averages over a minute) and which, like a recovery VM's
 * agent with the vcrecovery snippet, runs the action's {@code vcr rebalance --pending} and nothing
 * else. vcr runs through a wrapper that stamps when the agent started it, with its own config,
 * runbooks and state in {@code <drill dir>/rebalance}. {@link #close} stops the agents and deletes
 * the Zabbix hosts; the containers and the record stay for inspection.
 */
final class RebalanceScene implements AutoCloseable {
    static final String SERVICE = "rebalance-web";
    static final int PORT = 8080;
    static final int TTL = 2;
    static final String[] VMS = {"rebalance-vm1", "rebalance-vm2"};
    static final String[] CONTAINERS = {"rebalance-web-1", "rebalance-web-2"};
    static final String[] ADDRESSES = {"127.0.61.2", "127.0.61.3"};
    static final int[] AGENT_PORTS = {20071, 20072};
    /** Busy loops that load a VM; on 2 shared cores each gets 25-100 % of one. */
    static final int BURNERS = 4;
    /** The drill hosts' thresholds ({$VCR.STANDBY.CPU.HIGH}, LOW): a VM here is its burners, a few cores' worth at most. */
    static final int HIGH = 60;
    static final int LOW = 20;

    final Env env;
    final Path dir;
    final Path wrapper;
    final String[] lxcpaths;
    final ZabbixApi api;
    final DnsUpdater dns;
    final String record;
    private final List<Process> agents = new ArrayList<>();
    private final List<String> hostIds = new ArrayList<>();

    RebalanceScene(Env env, Path drillDir) throws IOException {
        this.env = env;
        this.dir = drillDir.resolve("rebalance");
        this.wrapper = dir.resolve("bin/vcr");
        this.lxcpaths = new String[] {env.get("LXC_PATH"), Path.of(env.get("LXC_PATH")).resolveSibling("lxc-rebalance").toString()};
        this.api = ZabbixApi.builder(URI.create(env.get("ZABBIX_API_URL"))).tokenFile(env.path("ZABBIX_TOKEN_FILE"))
                .requestTimeout(Duration.ofSeconds(20)).build();
        this.dns = DnsUpdater.builder().server(env.address("DNS_SERVER")).tsigKey(TsigKey.fromFile(env.path("DNS_TSIG_FILE")))
                .timeout(Duration.ofSeconds(2)).build();
        this.record = SERVICE + "." + env.get("DNS_ZONE") + ".";
    }

    /** Files, containers, Zabbix (install with the wrapper, the two hosts), the agents; the service on VM {@code on}. */
    void setUp(Path repo, Path vcr, Path templates, Progress progress, int on) throws Exception {
        Files.createDirectories(dir.resolve("runbooks"));
        Files.createDirectories(dir.resolve("state"));
        Drill.write(wrapper, """
                #!/bin/sh
                # Written by tests/drill --scenario rebalance: what the rebalance action runs on a recovery VM's agent.
                printf '%%s %%s\\n' "$(date +%%s.%%N)" "$*" >>%s
                export VCR_CONFIG=%s VCR_SERVE=off
                exec %s "$@" >>%s 2>&1
                """.formatted(dir.resolve("commands.log"), dir.resolve("vcr.yaml"), vcr, dir.resolve("vcr.log")), "rwxr-xr-x");
        Drill.write(dir.resolve("vcr.yaml"), """
                zabbix:
                  url: %s
                  token-file: %s
                  timeout: 5s
                  version: "%s"
                runbooks: %s
                state-dir: %s
                """.formatted(env.get("ZABBIX_API_URL"), env.get("ZABBIX_TOKEN_FILE"), env.get("ZABBIX_VERSION"),
                dir.resolve("runbooks"), dir.resolve("state")), "rw-r--r--");
        StringBuilder standbys = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            progress.say("container " + CONTAINERS[i] + " in " + lxcpaths[i] + " (recovery VM " + VMS[i] + "), " + ADDRESSES[i] + ":" + PORT);
            Files.createDirectories(Path.of(lxcpaths[i]));
            Sh.Result r = Sh.run(repo, 120, List.of("env", "LXC_SERVICE_PATH=" + lxcpaths[i], repo.resolve("tests/env/lxc-service").toString(),
                    CONTAINERS[i], ADDRESSES[i], Integer.toString(PORT), "http"));
            if (r.code() != 0) throw new DrillException(1, "lxc-service " + CONTAINERS[i] + ": " + Sh.oneLine(r.out()));
            Drill.write(Path.of(lxcpaths[i], CONTAINERS[i], "rootfs/sbin/" + burner(i)),
                    "#!/bin/sh\necho $$ >>/burners.pids\nwhile :; do :; done\n", "rwxr-xr-x");
            standbys.append("  - name: ").append(CONTAINERS[i]).append("\n    kind: cold-container\n    backend: lxc\n    options:\n")
                    .append("      lxcpath: \"").append(lxcpaths[i]).append("\"\n    address: ").append(ADDRESSES[i])
                    .append("\n    zabbix-host: ").append(VMS[i]).append('\n');
        }
        Drill.write(dir.resolve("runbooks/" + SERVICE + ".yaml"), "service: " + SERVICE + "\nzabbix-host: " + SERVICE
                + "-vm\nprimary:\n  address: 127.0.61.1\nstandbys:\n" + standbys + "checks:\n  - protocol: http\n    port: " + PORT
                + "\n    timeout: 500ms\ndns:\n  server: " + env.get("DNS_SERVER") + "\n  zone: " + env.get("DNS_ZONE") + "\n  name: "
                + record + "\n  ttl: " + TTL + "\n  tsig-file: " + env.get("DNS_TSIG_FILE")
                + "\nlimits:\n  start-timeout: 15s\n  check-timeout: 3s\n", "rw-r--r--");
        place(on);

        progress.say("vcr zabbix install (templates; the rebalance action runs " + wrapper + " rebalance --pending on the VM's agent)");
        Sh.Result inst = Sh.run(repo, 180, List.of(vcr.toString(), "zabbix", "install", "--url", env.get("ZABBIX_API_URL"),
                "--token-file", env.get("ZABBIX_TOKEN_FILE"), "--standby-host", env.get("ZABBIX_AGENT_HOST"),
                "--vcr-path", wrapper.toString(), "--templates", templates.toString()));
        if (inst.code() != 0) throw new DrillException(1, "vcr zabbix install failed: " + Sh.oneLine(inst.out()));
        String group = api.hostGroupByName(env.get("ZABBIX_HOSTGROUP")).orElseThrow().groupId();
        String template = api.templateByName("vcrecovery standby VM").orElseThrow().templateId();
        deleteHosts();
        for (int i = 0; i < 2; i++) {
            startAgent(i);
            String id = api.createHost(VMS[i], List.of(group), List.of(HostInterface.agent("127.0.0.1", AGENT_PORTS[i])), List.of(template));
            hostIds.add(id);
            api.call("host.update", Map.of("hostid", id, "macros", List.of(
                    Map.of("macro", "{$VCR.STANDBY.INTERVAL}", "value", "1s"),
                    Map.of("macro", "{$VCR.STANDBY.CPU.WINDOW}", "value", "10s"),
                    Map.of("macro", "{$VCR.STANDBY.CPU.HIGH}", "value", Integer.toString(HIGH)),
                    Map.of("macro", "{$VCR.STANDBY.CPU.LOW}", "value", Integer.toString(LOW)),
                    Map.of("macro", "{$VCR.SERVE}", "value", "0"))));
            progress.say("Zabbix host " + VMS[i] + " (agent 127.0.0.1:" + AGENT_PORTS[i] + ": CPU = its burners, runs vcr rebalance --pending)");
        }
    }

    static String burner(int vm) {
        return "vcr-burn-" + VMS[vm];
    }

    /** The service on VM {@code on} only: its container running, the other stopped, the record at it. */
    void place(int on) throws Exception {
        int off = 1 - on;
        unload(on);
        Sh.run(60, "lxc-stop", "-P", lxcpaths[off], "-n", CONTAINERS[off], "-k");
        if (!Sh.run(10, "lxc-info", "-P", lxcpaths[on], "-n", CONTAINERS[on], "-sH").out().contains("RUNNING")) {
            Sh.must(60, "lxc-start", "-P", lxcpaths[on], "-n", CONTAINERS[on]);
        }
        var r = dns.update(DnsChange.of(env.get("DNS_ZONE"), record, RecordType.A, TTL, ADDRESSES[on]));
        if (!r.applied()) throw new DrillException(1, "setting " + record + " to " + ADDRESSES[on] + ": " + r.message());
    }

    /**
     * {@link #BURNERS} busy loops inside VM {@code vm}'s container: its agent's system.cpu.util (the
     * burners' CPU, in % of one core) rises to what the machine gives them. They end with the
     * container, or with {@link #unload}.
     */
    void load(int vm) throws IOException {
        for (int i = 0; i < BURNERS; i++) {
            new ProcessBuilder("lxc-attach", "-P", lxcpaths[vm], "-n", CONTAINERS[vm], "--", "/bin/sh", "/sbin/" + burner(vm))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("burner.log").toFile())).start();
        }
    }

    /** Ends the burners of VM {@code vm}'s container if it still runs (by the pids they wrote there). */
    void unload(int vm) {
        Sh.run(20, "lxc-attach", "-P", lxcpaths[vm], "-n", CONTAINERS[vm], "--", "/bin/sh", "-c",
                "[ -f /burners.pids ] && kill $(cat /burners.pids); rm -f /burners.pids");
    }

    private void startAgent(int i) throws IOException {
        Path conf = dir.resolve("agent-" + VMS[i] + ".conf");
        StringBuilder c = new StringBuilder("# Written by tests/drill --scenario rebalance: the agent of recovery VM " + VMS[i] + "\n"
                + "ListenIP=127.0.0.1\nListenPort=" + AGENT_PORTS[i] + "\nSourceIP=127.0.0.1\nServer=127.0.0.1\nHostname=" + VMS[i]
                + "\nLogType=file\nLogFile=" + dir.resolve("agent-" + VMS[i] + ".log") + "\nPidFile=" + dir.resolve("agent-" + VMS[i] + ".pid")
                + "\nAllowRoot=1\nTimeout=30\nLogRemoteCommands=1\nStartAgents=2\n"
                + "UserParameter=vcr.drill.cpu,/bin/sh " + dir.resolve("container-cpu.sh") + " " + CONTAINERS[i] + "\n"
                + "Alias=system.cpu.util:vcr.drill.cpu\n");
        for (String line : List.of(" rebalance --pending,nowait", " rebalance --pending", " rebalance --pending --plan")) {
            c.append("AllowKey=system.run[").append(wrapper).append(line).append("]\n");
        }
        c.append("DenyKey=system.run[*]\n");
        Drill.write(conf, c.toString(), "rw-r--r--");
        // The container's CPU over half a second, in % of one core, from its cgroup's usage counter (0 when it is stopped).
        Drill.write(dir.resolve("container-cpu.sh"), """
                #!/bin/sh
                f=/sys/fs/cgroup/cpuacct/lxc.payload.$1/cpuacct.usage
                [ -r "$f" ] || f=/sys/fs/cgroup/lxc.payload.$1/cpu.stat
                [ -r "$f" ] || { echo 0; exit 0; }
                u() { if [ "${f##*/}" = cpu.stat ]; then sed -n 's/^usage_usec //p' "$f" | awk '{print $1*1000}'; else cat "$f"; fi; }
                a=$(u); sleep 0.5; b=$(u 2>/dev/null || echo "$a")
                echo $(( (b - a) / 5000000 ))
                """, "rwxr-xr-x");
        Path pid = dir.resolve("agent-" + VMS[i] + ".pid");
        if (Files.exists(pid)) {
            // an agent a killed drill left behind: ours by its pid file
            String p = Files.readString(pid).trim();
            if (p.matches("[0-9]+")) ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroy);
            Rig.sleep(500);
        }
        agents.add(new ProcessBuilder(env.get("ZABBIX_AGENTD_BIN"), "-f", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent-" + VMS[i] + ".out").toFile()).start());
    }

    /** Zabbix's last value of {@code key} on VM {@code vm}'s host and its clock (epoch s), or null when none yet. */
    double[] lastValue(int vm, String key) throws IOException {
        JsonNode items = api.call("item.get", Map.of("output", List.of("lastvalue", "lastclock"), "hostids", List.of(hostIds.get(vm)),
                "filter", Map.of("key_", key)));
        if (items.isEmpty() || items.path(0).path("lastclock").asLong() == 0) return null;
        return new double[] {items.path(0).path("lastvalue").asDouble(), items.path(0).path("lastclock").asLong()};
    }

    /** The open rebalance problem of VM {@code vm}: [eventid, clock.ns as epoch nanos], or null. */
    long[] openProblem(int vm) throws IOException {
        JsonNode p = api.call("problem.get", Map.of("output", List.of("eventid", "clock", "ns", "r_eventid"),
                "hostids", List.of(hostIds.get(vm)), "tags", List.of(Map.of("tag", "vcrecovery", "value", "rebalance", "operator", "1")),
                "recent", false));
        if (p.isEmpty()) return null;
        JsonNode e = p.path(0);
        return new long[] {e.path("eventid").asLong(), e.path("clock").asLong() * 1_000_000_000L + e.path("ns").asLong()};
    }

    /** The item's values since {@code sinceEpoch} (s): [epoch nanos, value] pairs, oldest first. */
    List<double[]> history(int vm, String key, long sinceEpoch) throws IOException {
        JsonNode items = api.call("item.get", Map.of("output", List.of("itemid"), "hostids", List.of(hostIds.get(vm)), "filter", Map.of("key_", key)));
        JsonNode h = api.call("history.get", Map.of("history", 0, "itemids", List.of(items.path(0).path("itemid").asText()),
                "time_from", sinceEpoch, "sortfield", "clock", "sortorder", "ASC", "output", "extend"));
        List<double[]> out = new ArrayList<>();
        for (JsonNode v : h) out.add(new double[] {v.path("clock").asLong() * 1e9 + v.path("ns").asLong(), v.path("value").asDouble()});
        return out;
    }

    private void deleteHosts() throws IOException {
        JsonNode old = api.call("host.get", Map.of("output", List.of("hostid"), "filter", Map.of("host", List.of(VMS))));
        List<String> ids = new ArrayList<>();
        for (JsonNode h : old) ids.add(h.path("hostid").asText());
        if (!ids.isEmpty()) api.deleteHosts(ids);
    }

    @Override
    public void close() throws Exception {
        for (Process a : agents) {
            a.destroy();
            a.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        try {
            deleteHosts();
        } finally {
            api.close();
        }
    }
}
