package org.vcrecovery.it.hostdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vcrecovery.drill.Drill;
import org.vcrecovery.it.Sandbox;

/**
 * The approval drill end to end on the sandbox ({@code tests/drill --scenario host-down-held}):
 * a KVM host with 3 VMs dies while the kill switch is on and VM 2's own Zabbix host is in a real
 * Zabbix maintenance. The host-down action's run holds the whole host and moves no name; the
 * operator's {@code vcr approve --held} (the host menu's line) recovers VMs 1 and 3 and leaves
 * VM 2 alone, and the host's event gets the summary that says so.
 */
class RecoverHostDownHeldIT {
    @Test
    void aHeldHostDownMovesNothingUntilApprovedAndThenLeavesTheVmInMaintenanceAlone() {
        Sandbox.get();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            code = Drill.run(out, "--scenario", "host-down-held", "--vms", "3");
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);

        assertThat(code).as(text).isZero();
        assertThat(text).contains("ok   the action's run held the host: vcr: host-down.hd-kvm held: automatic recovery is switched off",
                "ok   no name moved while held",
                "ok   vcr approve --held exited 0",
                "ok   2 of 2 VMs answer on their standby by name",
                "ok   hd-02 (in maintenance) left alone",
                "ok   the host's event got the summary: vcr: host-down hd-kvm: 2 of 2 VMs recovered, 1 in maintenance left alone in ");
    }
}
