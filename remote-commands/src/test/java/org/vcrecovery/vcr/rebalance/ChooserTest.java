package org.vcrecovery.vcr.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vcrecovery.vcr.rebalance.RebalanceFakes.runbook;
import static org.vcrecovery.vcr.rebalance.RebalanceFakes.standby;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.runbook.Runbook;

class ChooserTest {
    static final Runbook WEB = runbook("web", 8080, standby("web-1", "vm1", "127.0.31.1"), standby("web-2", "vm2", "127.0.31.2"),
            standby("web-3", "vm3", "127.0.31.3"));
    static final Runbook MAIL = runbook("mail", 2525, standby("mail-1", "vm1", "127.0.32.1"), standby("mail-2", "vm2", "127.0.32.2"));
    static final Runbook FTP = runbook("ftp", 2121, standby("ftp-2", "vm2", "127.0.33.2"), standby("ftp-3", "vm3", "127.0.33.3"));

    private final Chooser chooser = new Chooser(50, 1);

    private static List<Placement> onVm1() {
        return List.of(Placement.of(WEB, List.of("127.0.31.1")), Placement.of(MAIL, List.of("127.0.32.1")),
                Placement.of(FTP, List.of("127.0.33.2")));
    }

    @Test
    void movesTheFirstServiceOnTheHostToTheLeastLoadedOtherRecoveryVm() {
        Chooser.Choice c = chooser.choose("vm1", null, onVm1(), Loads.measured(Map.of("vm1", 90.0, "vm2", 20.0, "vm3", 10.0)), s -> null);

        assertThat(c.refused()).isFalse();
        assertThat(c.moves()).hasSize(1);
        Move m = c.moves().get(0);
        assertThat(m.service()).isEqualTo("mail");
        assertThat(m.from().name()).isEqualTo("mail-1");
        assertThat(m.to().name()).as("mail has no standby on vm3").isEqualTo("mail-2");
        assertThat(m.targetLoad()).isEqualTo("cpu 20.0 %, 1 service");
    }

    @Test
    void theLowestCpuWinsAndATargetAtTheLimitHasNoRoom() {
        Chooser.Choice c = new Chooser(50, 2).choose("vm1", "web", onVm1(),
                Loads.measured(Map.of("vm1", 95.0, "vm2", 30.0, "vm3", 12.5)), s -> null);
        assertThat(c.moves()).singleElement().satisfies(m -> assertThat(m.to().name()).isEqualTo("web-3"));

        Chooser.Choice full = chooser.choose("vm1", "web", onVm1(), Loads.measured(Map.of("vm2", 50.0, "vm3", 70.0)), s -> null);
        assertThat(full.refusal()).isEqualTo(ExitCode.NO_TARGET);
        assertThat(full.why()).contains("web-2 on vm2: cpu 50.0 %, not below 50 %", "web-3 on vm3: cpu 70.0 %, not below 50 %",
                "nothing moved");
    }

    @Test
    void withoutMeasuredLoadTheVmServingFewestServicesWins() {
        Chooser.Choice c = chooser.choose("vm1", "web", onVm1(), Loads.UNMEASURED, s -> null);
        assertThat(c.moves()).singleElement().satisfies(m -> {
            assertThat(m.to().name()).as("vm2 serves ftp already").isEqualTo("web-3");
            assertThat(m.targetLoad()).isEqualTo("load not measured, 0 services");
        });
    }

    @Test
    void aHostWithoutARecentCpuValueOrAStandbyTheBackendLacksIsNoTarget() {
        Chooser.Choice c = chooser.choose("vm1", "web", onVm1(), Loads.measured(Map.of("vm3", 5.0)),
                s -> s.name().equals("web-3") ? "fake has no web-3" : null);
        assertThat(c.refusal()).isEqualTo(ExitCode.NO_TARGET);
        assertThat(c.why()).contains("web-2 on vm2: no recent CPU value", "web-3 on vm3: fake has no web-3");
    }

    @Test
    void maxMovesSeveralAndCountsEachMoveOnItsTarget() {
        Chooser.Choice c = new Chooser(50, 5).choose("vm1", null, onVm1(), Loads.UNMEASURED, s -> null);
        assertThat(c.moves()).extracting(Move::toString)
                .containsExactly("mail: mail-1 on vm1 -> mail-2 on vm2", "web: web-1 on vm1 -> web-3 on vm3");
    }

    @Test
    void anUnknownHostIsUsageAndNamesTheKnownOnes() {
        Chooser.Choice c = chooser.choose("vm9", null, onVm1(), Loads.UNMEASURED, s -> null);
        assertThat(c.refusal()).isEqualTo(ExitCode.USAGE);
        assertThat(c.why()).isEqualTo("unknown recovery VM 'vm9': no runbook has a standby with zabbix-host vm9 (they name vm1, vm2, vm3);"
                + " nothing moved");
    }

    @Test
    void aServiceNotRecoveredOrNotOnTheHostIsNotOnHost() {
        List<Placement> onPrimary = List.of(Placement.of(WEB, List.of("127.0.0.1")));
        Chooser.Choice none = chooser.choose("vm1", null, onPrimary, Loads.UNMEASURED, s -> null);
        assertThat(none.refusal()).isEqualTo(ExitCode.NOT_ON_HOST);
        assertThat(none.why()).startsWith("no recovered service runs on vm1");

        Chooser.Choice notRecovered = chooser.choose("vm1", "web", onPrimary, Loads.UNMEASURED, s -> null);
        assertThat(notRecovered.refusal()).isEqualTo(ExitCode.NOT_ON_HOST);
        assertThat(notRecovered.why()).isEqualTo("service web does not run on vm1: its record holds the primary's 127.0.0.1"
                + " (not recovered); nothing moved");

        Chooser.Choice elsewhere = chooser.choose("vm1", "ftp", onVm1(), Loads.UNMEASURED, s -> null);
        assertThat(elsewhere.refusal()).isEqualTo(ExitCode.NOT_ON_HOST);
        assertThat(elsewhere.why()).contains("standby ftp-2 on vm2");

        assertThat(chooser.choose("vm1", "nope", onVm1(), Loads.UNMEASURED, s -> null).refusal()).isEqualTo(ExitCode.USAGE);
    }
}
