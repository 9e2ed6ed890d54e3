package org.vcrecovery.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    @Test
    void theSameSeedDrawsTheSamePlanAndAnotherSeedAnother() {
        Plan a = Plan.draw(42, 50, Faults.ALL);
        Plan b = Plan.draw(42, 50, Faults.ALL);
        Plan c = Plan.draw(43, 50, Faults.ALL);
        assertThat(a.entries().stream().map(Plan.Entry::describe).toList())
                .isEqualTo(b.entries().stream().map(Plan.Entry::describe).toList())
                .isNotEqualTo(c.entries().stream().map(Plan.Entry::describe).toList());
    }

    @Test
    void delaysAndHoldsStayInsideEachFaultsRanges() {
        for (Plan.Entry e : Plan.draw(7, 2000, Faults.ALL).entries()) {
            Fault f = e.fault();
            assertThat(e.delayMs()).isBetween(0L, (long) f.delayMax());
            assertThat(e.holdMs()).isBetween((long) f.holdMin(), (long) f.holdMax());
        }
    }

    @Test
    void twoHundredRunsDrawEveryFaultOfTheTable() {
        assertThat(Plan.draw(1, 200, Faults.ALL).entries().stream().map(Plan.Entry::fault).distinct().count())
                .isEqualTo(Faults.ALL.size());
    }

    @Test
    void runsAreNumberedFromOne() {
        assertThat(Plan.draw(5, 3, Faults.ALL).entries().stream().map(Plan.Entry::run).toList()).containsExactly(1, 2, 3);
    }

    @Test
    void aFaultListLimitsTheDrawToItsFaultsInItsOrder() {
        List<Fault> some = Faults.select("stop-bind, kill-serve,stop-bind", false);
        assertThat(some.stream().map(Fault::name).toList()).containsExactly("stop-bind", "kill-serve");
        assertThat(Plan.draw(9, 100, some).entries()).allMatch(e -> some.contains(e.fault()));
    }

    @Test
    void anUnknownFaultNameIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Faults.select("kill-serve,kill-bind", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--faults: unknown fault 'kill-bind' (known: none, kill-serve,");
    }

    @Test
    void faultNamesAreUnique() {
        List<Fault> all = Faults.known(true);
        assertThat(all.stream().map(Fault::name).distinct().count()).isEqualTo(all.size());
    }

    @Test
    void theProxysFaultsAreDrawnOnlyThroughTheProxyAndNamingOneWithoutItIsRefused() {
        assertThat(Faults.select(null, false)).doesNotContainAnyElementsOf(Faults.PROXY);
        assertThat(Faults.select(null, true)).containsAll(Faults.PROXY).containsAll(Faults.ALL);
        assertThat(Faults.select("stop-proxy,none", true).stream().map(Fault::name).toList()).containsExactly("stop-proxy", "none");
        assertThatThrownBy(() -> Faults.select("none,stop-proxy", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--faults: 'stop-proxy' needs --via-proxy (the scene must go through the proxy)");
    }
}
