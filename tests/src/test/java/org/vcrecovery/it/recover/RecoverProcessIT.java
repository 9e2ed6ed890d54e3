package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.zabbix.api.Acknowledgement;

/**
 * {@code vcr recover} as Zabbix runs it: the repository's {@code bin/vcr} launcher as a fresh
 * process, configured through the environment ({@code VCR_CONFIG}, {@code VCR_STATE_DIR},
 * {@code VCR_RUNBOOKS}), with the action's macros (one of them unresolved), in a fresh JVM
 * ({@code VCR_SERVE=off}; RecoverServedIT hands the same lines to {@code vcr serve}). stdout must
 * carry exactly the one summary line Zabbix records, nothing from the JVM.
 */
class RecoverProcessIT {
    private RecoverFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = RecoverFixture.recordOnPrimary("rpr");
        f.serveHttp(f.address(2));
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private VcrProcess.Result vcr(String... args) throws Exception {
        return VcrProcess.run(f, Map.of("VCR_SERVE", "off"), args);
    }

    @Test
    void aZabbixActionsCommandLineRecoversTheServiceAndPrintsOneLine() throws Exception {
        f.createZabbixHost();
        String event = f.raiseProblem();
        f.runbookYaml().standby(f.warm()).write();
        Files.writeString(f.dir.resolve("vcr.yaml"), "zabbix:\n  url: " + f.sandbox.value(Sandbox.ZABBIX_API_URL)
                + "\n  token-file: " + f.sandbox.value(Sandbox.ZABBIX_TOKEN_FILE) + "\n  version: \"" + f.sandbox.value(Sandbox.ZABBIX_VERSION) + "\"\n");

        VcrProcess.Result r = vcr("recover", "--event-id", event, "--trigger-host", f.host, "--vm", "{EVENT.TAGS.vm}");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).matches(f.service + ": recovered on warm \\(" + f.address(2).replace(".", "\\.")
                + "\\) in \\d+ ms: event \\d+ ms, maintenance \\d+ ms, dns-read \\d+ ms, breaker \\d+ ms, fence \\d+ ms, check \\d+ ms, dns \\d+ ms, recheck \\d+ ms, ack \\d+ ms\\n");
        assertThat(r.err()).isEmpty();
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.zabbix().event(event).orElseThrow().acknowledges()).extracting(Acknowledgement::message)
                .singleElement().asString().contains("\ndns ok ");
        assertThat(f.audit()).singleElement().asString().contains("\"result\":\"OK\"");
    }

    @Test
    void aMacroCarryingAShellCommandIsRefusedByTheProcessWithUsage() throws Exception {
        Files.writeString(f.dir.resolve("vcr.yaml"), "dedup-window: 1m\n");

        VcrProcess.Result r = vcr("recover", "--event-id", "1", "--trigger-host", "web$(touch /tmp/pwned-" + f.suffix + ")");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("vcr: --trigger-host: 'web$(touch /tmp/pwned-" + f.suffix + ")' is not a valid name")
                .contains("contains '$', a shell metacharacter");
        assertThat(Path.of("/tmp/pwned-" + f.suffix)).doesNotExist();
        assertThat(f.dig()).containsExactly(f.address(1));
    }
}
