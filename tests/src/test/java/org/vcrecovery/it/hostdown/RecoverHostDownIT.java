package org.vcrecovery.it.hostdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.drill.Drill;
import org.vcrecovery.it.Sandbox;

/**
 * A KVM host with 5 VMs dies, end to end on the sandbox (the host-down drill in process, against
 * the built distribution): the real listener's heartbeat and the server's port check stop, Zabbix
 * 7.0's fast host-down trigger fires, the host-down action runs {@code vcr recover --pending} on
 * the agent, which recovers all 5 VMs ({@code --host-down}: one proof, warm, cold and suspended
 * standbys, one DNS name each) and acknowledges the host's event once. Before that, the hostile
 * case: the listener frozen for 1.5 s (a heartbeat missing), then the port and the heartbeat
 * missing together for 1.5 s, and no problem may open.
 */
class RecoverHostDownIT {
    @TempDir
    Path tmp;

    @Test
    void aDeadKvmHostsFiveVmsAllAnswerOnTheirStandbysByNameAndItsEventGetsOneSummary() throws Exception {
        Sandbox s = Sandbox.get();
        Path json = tmp.resolve("hd.json");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Drill.run(out, "--scenario", "host-down", "--vms", "5", "--json", json.toString());
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(code).as(text).isZero();
        JsonNode r = new ObjectMapper().readTree(json.toFile());

        assertThat(r.path("hostile").path("heartbeat_dropped_no_problem").asBoolean()).as("one heartbeat dropped: no problem").isTrue();
        assertThat(r.path("hostile").path("both_missing_1500ms_no_problem").asBoolean()).as("both signals 1.5 s: no problem").isTrue();
        JsonNode run = r.path("runs").path(0);
        assertThat(run.path("detection_ms").asLong(-1)).as("host killed -> problem").isBetween(0L, 10_000L);
        assertThat(run.path("headline").asText()).isEqualTo("host-down hd-kvm: 5 of 5 VMs recovered");
        List<String> notAnswering = new ArrayList<>();
        for (JsonNode vm : run.path("per_vm")) {
            if (vm.path("dns_ms").isNull() || vm.path("answered_ms").isNull()) notAnswering.add("hd-0" + vm.path("vm").asInt());
        }
        assertThat(notAnswering).as("VMs whose name did not move to their standby, or did not answer there").isEmpty();
        assertThat(Files.size(tmp.resolve("hd.png"))).isPositive();

        // The drill read the host event's acknowledgement before deleting its KVM host from Zabbix.
        assertThat(run.path("ack").asText()).as("one summary acknowledgement, the event acknowledged")
                .startsWith("vcr: host-down hd-kvm: 5 of 5 VMs recovered in ").contains("proof ok", "hd-01 ok", "hd-05 ok");
    }
}
