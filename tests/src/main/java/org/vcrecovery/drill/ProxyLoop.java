package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's active Zabbix proxy in the drill's loop ({@code --via-proxy}): started with
 * {@code tests/env/proxy/up} when it is not running; the KVM host and the standby host assigned
 * to it (and back to the server by a drill without the flag, so an earlier proxy drill never
 * leaks into the next one); its data sender and task manager logging at debug level, the
 * evidence of the legs it adds ({@link ProxyLog}).
 */
final class ProxyLoop {
    private final Env env;
    private final Path log;
    private final Path dir;

    ProxyLoop(Env env, Path dir) {
        this.env = env;
        this.dir = dir;
        this.log = Path.of(env.get("STATE_DIR"), "log", "zabbix_proxy.log");
    }

    /** Starts the proxy if needed (tests/env/proxy/up, idempotent) and raises its two processes' log level once per proxy process. */
    void ensure(Progress progress) throws IOException {
        progress.say("Zabbix proxy " + env.get("ZABBIX_PROXY_NAME") + " (tests/env/proxy/up)");
        Sh.Result r = Sh.run(120, env.get("ZABBIX_PROXY_UP"));
        if (!r.ok()) throw new DrillException(3, "tests/env/proxy/up failed: " + Sh.oneLine(r.out()));
        String pid = Files.readString(Path.of(env.get("STATE_DIR"), "run", "zabbix-proxy.pid")).trim();
        Path marker = dir.resolve("proxy-debug.pid");
        if (Files.exists(marker) && Files.readString(marker).trim().equals(pid)) return;
        for (String process : List.of("data sender", "task manager")) control("log_level_increase=" + process);
        Files.writeString(marker, pid);
    }

    /** Asks the proxy to fetch its configuration now (hosts just assigned, items just discovered). */
    void reload() {
        control("config_cache_reload");
    }

    private void control(String command) {
        Sh.Result r = Sh.run(30, env.get("ZABBIX_PROXY_BIN"), "-c", env.get("ZABBIX_PROXY_CONF"), "-R", command);
        if (!r.ok()) throw new DrillException(3, "zabbix_proxy -R " + command + " failed: " + Sh.oneLine(r.out()));
    }

    /**
     * Has the hosts monitored by the proxy ({@code viaProxy}) or by the server. 7.0 says
     * {@code monitored_by}/{@code proxyid}; 6.0 {@code proxy_hostid} (0: the server).
     */
    static void assign(ZabbixSide zabbix, Env env, boolean viaProxy, List<String> hostIds) {
        boolean six = env.get("ZABBIX_VERSION").equals("6.0");
        String proxyId = "0";
        if (viaProxy) {
            JsonNode p = zabbix.call("proxy.get", Map.of("output", List.of("proxyid"),
                    "filter", Map.of(six ? "host" : "name", List.of(env.get("ZABBIX_PROXY_NAME")))));
            if (p.isEmpty()) throw new DrillException(3, "proxy " + env.get("ZABBIX_PROXY_NAME") + " is not in Zabbix: run tests/env/proxy/up");
            proxyId = p.path(0).path("proxyid").asText();
        }
        for (String id : hostIds) {
            Map<String, Object> u = new LinkedHashMap<>(Map.of("hostid", id));
            if (six) u.put("proxy_hostid", proxyId);
            else {
                u.put("monitored_by", viaProxy ? 1 : 0);
                if (viaProxy) u.put("proxyid", proxyId);
            }
            zabbix.call("host.update", u);
        }
    }

    long offset() throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** The proxy's marks of one run, from the log written since {@code offset}. */
    ProxyMarks marks(int run, long offset, Instant since, String eventId) throws IOException {
        return ProxyLog.marks(run, ProxyLog.read(log, offset), since, eventId);
    }
}
