package org.vcrecovery.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DrillArgsTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    private int drill(String... args) {
        return Drill.run(new PrintStream(buf, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheKnownOnes() {
        assertThat(drill("--scenario", "meltdown")).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--scenario must be one of failover").contains("'meltdown'");
    }

    @Test
    void vmsOutsideItsRangeIsAUsageError() {
        assertThat(drill("--vms", "0")).isEqualTo(2);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--vms must be 1-100, not 0");
    }
}
