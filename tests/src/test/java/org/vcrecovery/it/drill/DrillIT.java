package org.vcrecovery.it.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.drill.Drill;
import org.vcrecovery.drill.Mark;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * The failover drill end to end, one run per mode, the way README's first command runs it (in
 * process, against the sandbox and the built distribution): a real libvirt domain destroyed, the
 * real listener, Zabbix's real trigger, action and agent running vcr recover, BIND switched, the
 * event acknowledged. Asserts on the drill's JSON and checks the acknowledgement through the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillIT {
    @TempDir
    Path tmp;

    private JsonNode drill(String... args) throws Exception {
        Sandbox.get(); // a missing sandbox fails here, naming tests/env/up
        Path json = tmp.resolve("drill.json");
        List<String> all = new ArrayList<>(List.of("--json", json.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Drill.run(out, all.toArray(String[]::new));
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(code).as(text).isZero();
        assertThat(Files.size(tmp.resolve("drill.png"))).as("PNG timeline chart").isPositive();
        return new ObjectMapper().readTree(json.toFile());
    }

    private static void assertRecoveredAndAcknowledged(JsonNode report, String standby) throws Exception {
        assertThat(report.path("recovered").asBoolean()).isTrue();
        assertThat(report.path("standby_address").asText()).isEqualTo(standby);
        JsonNode run = report.path("runs").path(0);
        assertThat(run.path("recovered").asBoolean()).as(run.toString()).isTrue();
        assertThat(run.path("dns_answer").asText()).isEqualTo(standby);
        assertThat(run.path("dns_switched_to_standby").asBoolean()).isTrue();
        assertThat(run.path("port_answering").asBoolean()).isTrue();
        assertThat(run.path("acknowledged").asBoolean()).isTrue();
        assertThat(run.path("vcr_result").asText()).isEqualTo("OK");
        // Every mark present, in order; every leg present and not negative; total after DNS switched.
        long prev = -1;
        for (Mark m : Mark.values()) {
            JsonNode at = run.path("marks_ms").path(m.key());
            assertThat(at.isNumber()).as("mark " + m.key() + " in " + run).isTrue();
            assertThat(at.asLong()).as("mark " + m.key() + " after the one before").isGreaterThanOrEqualTo(prev);
            prev = at.asLong();
            if (m != Mark.INJECTED) assertThat(run.path("legs_ms").path(m.key()).asLong(-1)).isNotNegative();
        }
        assertThat(run.path("ordered").asBoolean()).isTrue();
        // The client may see the new address before vcr's dns step ends (it ends after verifying at the
        // server), but never before the standby's port was verified (the update is sent after that).
        assertThat(run.path("total_ms").asLong()).isGreaterThanOrEqualTo(run.path("marks_ms").path("port_verified").asLong());
        assertThat(report.path("legs").path("acknowledged").path("median_ms").isNumber()).isTrue();
        assertThat(report.path("total").path("p95_ms").isNumber()).isTrue();

        // The event in Zabbix: acknowledged, with the recovery's step list in the message.
        Sandbox s = Sandbox.get();
        try (ZabbixApi api = ZabbixApi.builder(URI.create(s.value(Sandbox.ZABBIX_API_URL)))
                .tokenFile(s.path(Sandbox.ZABBIX_TOKEN_FILE)).build()) {
            JsonNode e = api.call("event.get", Map.of("output", "extend", "eventids", List.of(run.path("event_id").asText()),
                    "select_acknowledges", "extend")).path(0);
            assertThat(e.path("acknowledged").asText()).isEqualTo("1");
            List<String> messages = Stream.of(e.path("acknowledges")).flatMap(a -> {
                List<String> l = new ArrayList<>();
                a.forEach(x -> l.add(x.path("message").asText()));
                return l.stream();
            }).toList();
            assertThat(messages).anySatisfy(msg -> assertThat(msg)
                    .startsWith("vcr: drill-web recovered on ")
                    .contains("\nfence ok ", "domain drill-web already shut off", "\ncheck ok ", "\ndns ok ",
                            "switched www." + s.value(Sandbox.DNS_ZONE) + ". A 127.0.20.1 -> " + standby + ", verified"));
        }
    }

    @Test
    @Order(1)
    void warmStandbyARunningContainerTakesOverThroughZabbix() throws Exception {
        JsonNode r = drill("--mode", "warm");
        assertThat(r.path("mode").asText()).isEqualTo("warm");
        assertRecoveredAndAcknowledged(r, "127.0.20.2");
    }

    @Test
    @Order(2)
    void coldStandbyIsStartedWhenTheFailureArrivesAsAnSnmpTrap() throws Exception {
        JsonNode r = drill("--mode", "cold", "--via-snmp");
        assertThat(r.path("via_snmp").asBoolean()).isTrue();
        assertRecoveredAndAcknowledged(r, "127.0.20.3");
    }

    @Test
    @Order(3)
    void suspendedBackupVmIsResumedAndTheListenerStoppedAfterwards() throws Exception {
        JsonNode r = drill("--mode", "resume", "--down");
        assertRecoveredAndAcknowledged(r, "127.0.20.4");
        Path pid = Path.of(Sandbox.get().value("STATE_DIR"), "drill/listener/listener.pid");
        assertThat(pid).as("--down stops the drill's listener").doesNotExist();
    }

    @Test
    @Order(4)
    void badFlagsExitTwoWithOneLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Drill.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "--mode", "lukewarm");
        assertThat(code).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8).trim()).isEqualTo("drill: --mode must be warm, cold or resume, not 'lukewarm'");
    }
}
