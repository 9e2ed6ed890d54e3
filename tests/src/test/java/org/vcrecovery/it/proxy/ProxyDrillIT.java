package org.vcrecovery.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.drill.Drill;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * Zabbix's active proxy in the loop, end to end: the drill with {@code --via-proxy} (in process)
 * starts the sandbox's proxy ({@code tests/env/proxy/up}), has the KVM host and the standby host
 * monitored by it and the listener send to its trapper; the state value reaches the server
 * through the proxy, the trigger fires there, and the action's command reaches the standby's agent
 * through the proxy and runs {@code vcr recover}. The proxy's own log proves both hops (the value
 * batch it sent, the command for this event it received and ran) and gives the data and task
 * round trips, printed for the record. Afterwards both hosts go back to the server, so the rest of
 * the suite does not pay the proxy's task manager tick (5 s, hard-coded in Zabbix).
 */
class ProxyDrillIT {
    private static final String KVM_HOST = "drill-kvm";

    @TempDir
    Path tmp;

    @Test
    void aFailureTravelsThroughTheProxyBothWaysAndTheStandbyTakesOver() throws Exception {
        Sandbox s = Sandbox.get();
        Path json = tmp.resolve("drill.json");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Drill.run(out, "--via-proxy", "--mode", "warm", "--json", json.toString());
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(code).as(text).isZero();
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        JsonNode run = r.path("runs").path(0);
        assertThat(r.path("via_proxy").asBoolean()).isTrue();
        assertThat(run.path("recovered").asBoolean()).as(run.toString()).isTrue();
        assertThat(run.path("vcr_result").asText()).isEqualTo("OK");
        assertThat(run.path("dns_answer").asText()).isEqualTo("127.0.20.2");
        assertThat(run.path("acknowledged").asBoolean()).isTrue();

        // The listener sent to the proxy's trapper, not the server's.
        Path drill = Path.of(s.value("STATE_DIR"), "drill");
        assertThat(Files.readString(drill.resolve("listener/listener.args")))
                .contains(s.value("ZABBIX_PROXY_TRAPPER")).doesNotContain(s.value(Sandbox.ZABBIX_TRAPPER));
        // Both hops seen in the proxy's log, in order, and the command it received was this event's.
        JsonNode legs = run.path("proxy_legs_ms");
        for (String leg : List.of("listener saw -> proxy sent the value", "proxy sent the value -> problem in Zabbix",
                "problem in Zabbix -> proxy got the command", "proxy got the command -> its task manager ran it",
                "task manager ran it -> action ran vcr")) {
            assertThat(legs.path(leg).isNumber()).as(leg + " in " + legs).isTrue();
            assertThat(legs.path(leg).asLong()).as(leg).isNotNegative();
        }
        long data = run.path("legs_ms").path("problem").asLong();
        long task = run.path("legs_ms").path("command_ran").asLong();
        System.out.printf("proxy round trips (Zabbix %s): data (listener saw -> problem on the server) %d ms,"
                + " task (problem -> command ran on the agent) %d ms, of which the task manager's wait %d ms%n",
                s.value(Sandbox.ZABBIX_API_VERSION), data, task, legs.path("proxy got the command -> its task manager ran it").asLong());
        // Bounded by the sandbox's settings: the task leg by the escalator (3 s on 6.0), one data-sender
        // cycle (1 s) and the proxy's task-manager tick (5 s); the data leg by one data-sender cycle and
        // the history syncer (1 s). A proxy left at 6.0's ConfigFrequency=3600 or a slow sender fails here.
        assertThat(task).isLessThan(12_000);
        assertThat(data).isLessThan(4_000);

        // While it ran, Zabbix had both hosts monitored by the proxy.
        try (ZabbixApi api = api(s)) {
            assertThat(monitoredBy(api, s, KVM_HOST)).isEqualTo(proxyId(api, s));
            assertThat(monitoredBy(api, s, s.value(Sandbox.ZABBIX_AGENT_HOST))).isEqualTo(proxyId(api, s));
        }
    }

    /** The rest of the suite reaches the agent directly. */
    @AfterAll
    static void hostsBackToTheServer() throws Exception {
        Sandbox s = Sandbox.get();
        boolean six = s.value(Sandbox.ZABBIX_VERSION).equals("6.0");
        try (ZabbixApi api = api(s)) {
            for (String host : List.of(KVM_HOST, s.value(Sandbox.ZABBIX_AGENT_HOST))) {
                JsonNode h = api.call("host.get", Map.of("output", List.of("hostid"), "filter", Map.of("host", List.of(host))));
                if (h.isEmpty()) continue;
                Map<String, Object> u = new LinkedHashMap<>(Map.of("hostid", h.path(0).path("hostid").asText()));
                u.put(six ? "proxy_hostid" : "monitored_by", 0);
                api.call("host.update", u);
            }
        }
    }

    private static ZabbixApi api(Sandbox s) throws Exception {
        return ZabbixApi.builder(URI.create(s.value(Sandbox.ZABBIX_API_URL))).tokenFile(s.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
    }

    private static String proxyId(ZabbixApi api, Sandbox s) throws Exception {
        boolean six = s.value(Sandbox.ZABBIX_VERSION).equals("6.0");
        return api.call("proxy.get", Map.of("output", List.of("proxyid"),
                "filter", Map.of(six ? "host" : "name", List.of(s.value("ZABBIX_PROXY_NAME"))))).path(0).path("proxyid").asText();
    }

    private static String monitoredBy(ZabbixApi api, Sandbox s, String host) throws Exception {
        boolean six = s.value(Sandbox.ZABBIX_VERSION).equals("6.0");
        JsonNode h = api.call("host.get", Map.of("output", List.of(six ? "proxy_hostid" : "proxyid"), "filter", Map.of("host", List.of(host))));
        return h.path(0).path(six ? "proxy_hostid" : "proxyid").asText();
    }
}
