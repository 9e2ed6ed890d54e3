package org.vcrecovery.it.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
import org.vcrecovery.drill.Mode;
import org.vcrecovery.drill.Report;
import org.vcrecovery.drill.RunResult;
import org.vcrecovery.drill.VcrRun;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * The failover drill end to end, one run per mode, the way README's first command runs it (in
 * process, against the sandbox and the built distribution): a real libvirt domain destroyed, the
 * real listener, Zabbix's real trigger, action and agent running vcr recover, BIND switched, the
 * event acknowledged. Asserts on the drill's JSON and checks the acknowledgement through the API.
 * Warm and resume run as production does, vcr recover handed to the drill's {@code vcr serve}
 * (asserted served, by the server's own log, and the server stopped afterwards); cold runs with
 * {@code --no-serve}, so the fresh-JVM path stays tested too.
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

    private static Path drillDir() {
        return Path.of(Sandbox.get().value("STATE_DIR"), "drill");
    }

    /** Served: the run was handed to vcr serve (its log has the run), and the server is gone once the drill ended. */
    private static void assertServedAndServerStopped(JsonNode report) throws Exception {
        JsonNode run = report.path("runs").path(0);
        assertThat(report.path("vcr").asText()).isEqualTo("served");
        assertThat(run.path("vcr").asText()).as(run.toString()).isEqualTo("served");
        assertThat(run.path("served").asBoolean()).isTrue();
        assertThat(run.path("counted").asBoolean()).isTrue();
        assertThat(run.path("serve_note").isNull()).as(run.toString()).isTrue();
        assertThat(run.path("serve_run_ms").asLong(-1)).as("the server's run time").isPositive();
        assertThat(report.path("runs_not_served").size()).isZero();
        assertThat(Files.readString(drillDir().resolve("serve.log")))
                // The action's one line names no event: vcr read it from Zabbix (--pending).
                .containsPattern("(?m)^vcr serve: vcr recover (--pending|.*--event-id " + run.path("event_id").asText()
                        + " .*) -> exit 0 in \\d+ ms$");
        assertThat(drillDir().resolve("serve.addr")).as("the address file is removed when the server stops").doesNotExist();
        assertThat(drillDir().resolve("serve.pid")).doesNotExist();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("org.vcrecovery.vcr.Vcr serve --address-file " + drillDir().resolve("serve.addr"))).orElse(false)))
                .as("the drill's vcr serve stopped").isEmpty();
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
    @Order(0)
    void aServerThatDoesNotStartEndsTheDrillWithOneLine() throws Exception {
        Sandbox.get();
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("bin"));
        Files.createDirectories(repo.resolve("dist/target/vcrecovery/lib"));
        Files.writeString(repo.resolve("dist/target/vcrecovery/lib/vcr.classpath"), "");
        Path vcr = repo.resolve("bin/vcr");
        Files.writeString(vcr, "#!/bin/sh\necho \"vcr: cannot listen on 127.0.0.1:0: test\" >&2\nexit 1\n");
        vcr.toFile().setExecutable(true);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Drill.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "--repo", repo.toString());
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(1);
        assertThat(text).contains("drill: vcr serve exited 1 before it was ready: vcr: cannot listen on 127.0.0.1:0: test");
        assertThat(drillDir().resolve("serve.pid")).doesNotExist();
        assertThat(drillDir().resolve("serve.addr")).doesNotExist();
    }

    @Test
    @Order(1)
    void warmStandbyARunningContainerTakesOverThroughZabbixWithVcrServed() throws Exception {
        JsonNode r = drill("--mode", "warm");
        assertThat(r.path("mode").asText()).isEqualTo("warm");
        assertRecoveredAndAcknowledged(r, "127.0.20.2");
        assertServedAndServerStopped(r);
    }

    @Test
    @Order(2)
    void coldStandbyIsStartedByAFreshJvmWhenTheFailureArrivesAsAnSnmpTrap() throws Exception {
        JsonNode r = drill("--mode", "cold", "--via-snmp", "--no-serve");
        assertThat(r.path("via_snmp").asBoolean()).isTrue();
        assertRecoveredAndAcknowledged(r, "127.0.20.3");
        JsonNode run = r.path("runs").path(0);
        assertThat(r.path("vcr").asText()).isEqualTo("fresh-jvm");
        assertThat(run.path("vcr").asText()).isEqualTo("fresh-jvm");
        assertThat(run.path("vcr_as_asked").asBoolean()).isTrue();
        assertThat(run.path("counted").asBoolean()).isTrue();
        assertThat(Files.readString(drillDir().resolve("bin/vcr"))).contains("export VCR_SERVE=off");
        assertThat(drillDir().resolve("serve.pid")).as("--no-serve starts no server").doesNotExist();
    }

    @Test
    @Order(3)
    void suspendedBackupVmIsResumedAndTheListenerStoppedAfterwards() throws Exception {
        JsonNode r = drill("--mode", "resume", "--down");
        assertRecoveredAndAcknowledged(r, "127.0.20.4");
        assertServedAndServerStopped(r);
        Path pid = Path.of(Sandbox.get().value("STATE_DIR"), "drill/listener/listener.pid");
        assertThat(pid).as("--down stops the drill's listener").doesNotExist();
    }

    @Test
    @Order(4)
    void aRunNotServedAlthoughServeWasOnIsFlaggedAndLeftOutOfTheFigures() {
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        Map<Mark, Instant> marks = new EnumMap<>(Mark.class);
        for (Mark m : Mark.values()) marks.put(m, t0.plusMillis(100L * m.ordinal()));
        RunResult served = new RunResult(1, "11", marks, t0.plusMillis(900), "127.0.20.2", true, true, "OK", null,
                VcrRun.served(80));
        RunResult fresh = new RunResult(2, "12", marks, t0.plusMillis(1500), "127.0.20.2", true, true, "OK", null,
                VcrRun.notServed("vcr serve has no line for event 12"));
        ObjectNode json = new Report(Mode.WARM, false, true, List.of(served, fresh), "127.0.20.2", "www.example.test.").toJson();

        assertThat(json.path("recovered").asBoolean()).as("not served is no recovery failure").isTrue();
        assertThat(json.path("vcr").asText()).isEqualTo("served");
        assertThat(json.path("runs_not_served").toString()).isEqualTo("[2]");
        assertThat(json.path("runs").path(1).path("vcr").asText()).isEqualTo("fresh-jvm");
        assertThat(json.path("runs").path(1).path("counted").asBoolean()).isFalse();
        assertThat(json.path("runs").path(1).path("serve_note").asText()).isEqualTo("vcr serve has no line for event 12");
        assertThat(json.path("total").path("n").asInt()).as("only the served run is in the figures").isEqualTo(1);
        assertThat(json.path("total").path("median_ms").asDouble()).isEqualTo(900);
    }

    @Test
    @Order(5)
    void badFlagsExitTwoWithOneLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Drill.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "--mode", "lukewarm");
        assertThat(code).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8).trim()).isEqualTo("drill: --mode must be warm, cold or resume, not 'lukewarm'");
    }
}
