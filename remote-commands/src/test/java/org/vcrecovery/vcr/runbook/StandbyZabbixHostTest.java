package org.vcrecovery.vcr.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A standby's optional {@code zabbix-host} (where the recovery report goes): read, validated, shown. */
class StandbyZabbixHostTest {
    static String runbook(String line) {
        return """
                service: web
                zabbix-host: web-vm
                primary:
                  address: 192.0.2.10
                standbys:
                  - name: web-warm
                    kind: warm-container
                    backend: lxc
                    address: 192.0.2.20
                %schecks:
                  - protocol: http
                dns:
                  server: 127.0.0.1:53
                  tsig: none
                  zone: example.test
                  name: web
                """.formatted(line == null ? "" : "    zabbix-host: " + line + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {"recovery-vm, recovery-vm", "NULL, NULL"}, nullValues = "NULL")
    void itIsOptionalAndShownInThePlan(String value, String expected) throws Exception {
        Runbook rb = RunbookReader.read(new StringReader(runbook(value)), Path.of("web.yaml"));
        assertThat(rb.standbys().get(0).zabbixHost()).isEqualTo(expected);
        String plan = String.join("\n", RunbookPlan.describe(rb, Duration.ofMinutes(10)));
        if (expected == null) assertThat(plan).doesNotContain("Reports to Zabbix host");
        else assertThat(plan).contains("Reports to Zabbix host recovery-vm (item vcr.recovery.report).");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'bad host'", "'-x'", "'a;b'"})
    void aBadNameIsAProblemWithItsLine(String value) {
        assertThatThrownBy(() -> RunbookReader.read(new StringReader(runbook("\"" + value + "\"")), Path.of("web.yaml")))
                .isInstanceOf(InvalidRunbookException.class)
                .hasMessageContaining("web.yaml:10: standbys[0].zabbix-host:");
    }
}
