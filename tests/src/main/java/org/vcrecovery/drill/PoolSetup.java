package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * The pool drill's scene outside Zabbix's own data: its runbook, the RRset, the wrapper the pool
 * actions run (vcr with the drill's config, handed to the drill's vcr serve), {@code vcr zabbix
 * install} pointing the actions at it, and the pool's Zabbix host with the drill's short window.
 */
final class PoolSetup {
    private final Env env;
    private final Launchers launchers;
    private final Path repo;
    private final Path dir;
    private final Path state;
    private final Progress progress;

    PoolSetup(Env env, Launchers launchers, Path repo, Path dir, Path state, Progress progress) {
        this.env = env;
        this.launchers = launchers;
        this.repo = repo;
        this.dir = dir;
        this.state = state;
        this.progress = progress;
    }

    void runbook(List<String> members, Map<String, String> address, String fqdn) throws IOException {
        StringBuilder y = new StringBuilder("""
                # Written by tests/drill --scenario pool: the drill's pool (see recovery-scripts/runbooks/README.md).
                kind: pool
                service: %s
                dns:
                  server: %s
                  zone: %s
                  name: %s
                  ttl: 1
                  tsig-file: %s
                checks:
                  - protocol: http
                    port: %d
                    timeout: 1s
                limits:
                  start-timeout: 15s
                  check-timeout: 5s
                pool:
                  min-active: 1
                  upper: 70%%
                  lower: 35%%
                  window: 10s
                  min-interval: 25s
                members:
                """.formatted(PoolScenario.POOL, env.get("DNS_SERVER"), env.get("DNS_ZONE"), fqdn, env.get("DNS_TSIG_FILE"), PoolScenario.PORT));
        for (String m : members) {
            y.append("  - name: ").append(m).append("\n    backend: lxc\n    options:\n      lxcpath: ").append(env.get("LXC_PATH"))
                    .append("\n    target: vcr-pool-").append(m).append("\n    address: ").append(address.get(m)).append('\n');
        }
        Drill.write(dir.resolve("runbooks").resolve(PoolScenario.POOL + ".yaml"), y.toString(), "rw-------");
    }

    /** The RRset holds {@code values} alone (nsupdate; the drill's starting point). */
    void rrset(String fqdn, List<String> values) {
        StringBuilder in = new StringBuilder("server " + env.get("DNS_SERVER").replace(':', ' ') + "\nzone " + env.get("DNS_ZONE")
                + "\nupdate delete " + fqdn + " A\n");
        for (String v : values) in.append("update add ").append(fqdn).append(" 1 A ").append(v).append('\n');
        in.append("send\n");
        Sh.must(30, "sh", "-c", "printf '%s' \"$1\" | nsupdate -k \"$2\"", "sh", in.toString(), env.get("DNS_TSIG_FILE"));
    }

    Path wrapper(boolean serve) throws IOException {
        Path wrapper = dir.resolve("bin/vcr");
        String serving = serve ? "unset VCR_SERVE\nexport VCR_SERVE_FILE=" + ServeProcess.addressFile(dir) + "\n" : "export VCR_SERVE=off\n";
        Drill.write(wrapper, """
                #!/bin/sh
                # Written by tests/drill --scenario pool: what the pool actions run on the sandbox agent.
                printf '%%s %%s\\n' "$(date +%%s.%%N)" "$*" >>%s
                %sexport VCR_CONFIG=%s
                exec %s "$@" 2>>%s
                """.formatted(dir.resolve("commands.log"), serving, dir.resolve("vcr.yaml"), launchers.vcr(), dir.resolve("vcr-stderr.log")),
                "rwxr-xr-x");
        Drill.write(dir.resolve("vcr.yaml"), """
                # Written by tests/drill --scenario pool.
                zabbix:
                  url: %s
                  token-file: %s
                  timeout: 5s
                  version: "%s"
                  trapper: %s
                runbooks: %s
                state-dir: %s
                """.formatted(env.get("ZABBIX_API_URL"), env.get("ZABBIX_TOKEN_FILE"), env.get("ZABBIX_VERSION"), env.get("ZABBIX_TRAPPER"),
                dir.resolve("runbooks"), state), "rw-r--r--");
        return wrapper;
    }

    void install(Path wrapper) {
        progress.say("vcr zabbix install: the pool template, and actions running the drill's vcr on " + env.get("ZABBIX_AGENT_HOST"));
        Sh.Result r = Sh.run(repo, 120, List.of(launchers.vcr().toString(), "zabbix", "install", "--url", env.get("ZABBIX_API_URL"),
                "--token-file", env.get("ZABBIX_TOKEN_FILE"), "--standby-host", env.get("ZABBIX_AGENT_HOST"),
                "--vcr-path", wrapper.toString(), "--templates", launchers.templates().toString()));
        if (!r.ok()) throw new DrillException(r.code() == 3 ? 3 : 1, "vcr zabbix install failed (exit " + r.code() + "): " + Sh.oneLine(r.out()));
    }

    /** The pool's Zabbix host (a leftover one is replaced), with the drill's short window as host macros. */
    String host(ZabbixApi api, String name) throws ZabbixApiException {
        JsonNode old = api.call("host.get", Map.of("output", List.of("hostid"), "filter", Map.of("host", List.of(name))));
        if (old.size() > 0) api.call("host.delete", List.of(old.path(0).path("hostid").asText()));
        String group = api.call("hostgroup.get", Map.of("output", List.of("groupid"), "filter", Map.of("name", List.of(env.get("ZABBIX_HOSTGROUP")))))
                .path(0).path("groupid").asText();
        String template = api.call("template.get", Map.of("output", List.of("templateid"), "filter", Map.of("host", List.of("vcrecovery pool"))))
                .path(0).path("templateid").asText();
        String id = api.call("host.create", Map.of("host", name, "groups", List.of(Map.of("groupid", group)),
                "templates", List.of(Map.of("templateid", template)),
                "macros", List.of(Map.of("macro", "{$VCR.POOL.WINDOW}", "value", "10s"),
                        Map.of("macro", "{$VCR.POOL.INTERVAL}", "value", "1s"),
                        Map.of("macro", "{$VCR.POOL.MIN.INTERVAL}", "value", "30s")))).path("hostids").path(0).asText();
        progress.say("Zabbix host " + name + " (template vcrecovery pool; drill macros: window 10s, interval 1s, min-interval 30s)");
        Sh.run(30, env.get("ZABBIX_SERVER_BIN"), "-c", env.get("ZABBIX_SERVER_CONF"), "-R", "config_cache_reload");
        ListenerProcess.sleep(3000);
        return id;
    }

    void deleteHost(ZabbixApi api, String hostId) {
        try {
            api.call("host.delete", List.of(hostId));
        } catch (ZabbixApiException e) {
            progress.say("could not delete the Zabbix host " + PoolScenario.POOL + ": " + e.getMessage());
        }
    }

    /** The wrapper's stamps (when the agent ran the action's command), in seconds since {@code startMs}: {t, 1 grow / 0 shrink}. */
    static List<double[]> commands(Path dir, long startMs) throws IOException {
        Path log = dir.resolve("commands.log");
        List<double[]> out = new ArrayList<>();
        if (!Files.exists(log)) return out;
        for (String l : Files.readAllLines(log)) {
            String[] w = l.split(" ", 2);
            if (w.length < 2 || !w[1].contains("pool")) continue;
            try {
                out.add(new double[] {(Double.parseDouble(w[0]) * 1000 - startMs) / 1000.0, w[1].contains("grow") ? 1 : 0});
            } catch (NumberFormatException e) {
                // a line of another run: not ours
            }
        }
        return out;
    }

    /** The pool lines of vcr's audit log. */
    static List<String> reports(Path state) throws IOException {
        Path audit = state.resolve("audit.jsonl");
        List<String> out = new ArrayList<>();
        if (Files.exists(audit)) for (String l : Files.readAllLines(audit)) if (l.contains("\"vcr\":\"pool\"")) out.add(l);
        return out;
    }
}
