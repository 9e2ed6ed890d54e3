package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.breaker.Approvals;
import org.vcrecovery.vcr.breaker.FailureWindow;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The breaker stage in a real {@link Recovery}: a held run touches nothing (no fence, no
 * standby, no DNS) and its ack says why; runs by hand and approved runs go through.
 */
class BreakerStageTest {
    @TempDir
    Path state;

    final LoopbackServices services = new LoopbackServices();
    final String primary = services.host(1);
    final String warm = services.host(2);
    final Fakes.Zabbix zabbix = new Fakes.Zabbix();
    final Fakes.Backend lxc = new Fakes.Backend("lxc");
    final Fakes.Backend libvirt = new Fakes.Backend("libvirt");
    Fakes.Dns dns;
    VcrConfig config;

    @BeforeEach
    void setUp() {
        libvirt.states.put("svc-vm", StandbyState.RUNNING);
        services.serve(warm);
        config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/api_jsonrpc.php"), Path.of("/t"), null,
                null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, null), state, state,
                Duration.ofMinutes(10), null, new VcrConfig.Breaker(2, Duration.ofSeconds(60)));
    }

    @AfterEach
    void closeSockets() throws IOException {
        services.close();
    }

    RecoveryReport recover(String event) throws Exception {
        Runbook rb = TestRunbook.primary(primary).standby("warm", "warm-container", "lxc", warm)
                .check("tcp", services.port, "200ms").then("limits:\n  check-timeout: 300ms\n").read();
        if (dns == null) dns = new Fakes.Dns(rb.dns(), primary);
        return new Recovery(rb, config, zabbix, dns, StandbyBackends.of(List.of(Fakes.factory(lxc), Fakes.factory(libvirt))),
                new ServiceChecker(), new PrintWriter(new StringWriter(), true)).run(event, null);
    }

    void othersFailed(String... others) throws IOException {
        for (String o : others) {
            new FailureWindow(state).admit(o, "e-" + o, false, config.breaker(), DedupLog.Now.system());
        }
    }

    void assertNothingTouched(RecoveryReport r) {
        assertThat(r.exitCode()).isEqualTo(ExitCode.HELD);
        assertThat(RecoveryTest.changes(libvirt)).as("no fence").isEmpty();
        assertThat(RecoveryTest.changes(lxc)).as("no standby started").isEmpty();
        assertThat(dns.values).as("DNS unchanged").containsExactly(primary);
    }

    @Test
    void aFailureBeyondTheLimitIsHeldTouchesNothingAndTheAckSaysWhyAndHowToApprove() throws Exception {
        othersFailed("a", "b");
        RecoveryReport r = recover("2001");

        assertNothingTouched(r);
        assertThat(r.summary()).startsWith("svc: held: 3 failures in 60 s looks like a partition or a monitoring fault;"
                + " approve from the host menu or with `vcr approve --service svc`");
        assertThat(zabbix.acks).singleElement().asString()
                .startsWith("2001 msg vcr: svc held: 3 failures in 60 s looks like a partition or a monitoring fault");
    }

    @Test
    void failuresUpToTheLimitAreRecovered() throws Exception {
        othersFailed("a");
        RecoveryReport r = recover("2002");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(dns.values).containsExactly(warm);
        assertThat(r.steps()).filteredOn(s -> s.name().equals("breaker")).singleElement().asString().contains("2 failures in 60 s");
    }

    @Test
    void theKillSwitchFileHoldsEveryAutomaticRunAndSaysTheOperatorsReason() throws Exception {
        Files.writeString(state.resolve("disabled"), "storage migration, ask Ana\n");
        RecoveryReport r = recover("2003");

        assertNothingTouched(r);
        assertThat(r.summary()).contains("held: automatic recovery is switched off (" + state.resolve("disabled")
                + " exists: storage migration, ask Ana)");
        assertThat(zabbix.acks).singleElement().asString().contains("automatic recovery is switched off");
    }

    @Test
    void theZabbixGlobalMacroAtZeroHoldsAndAnyOtherValueDoesNot() throws Exception {
        zabbix.autoMacro = "0";
        assertNothingTouched(recover("2004"));
        assertThat(zabbix.acks).singleElement().asString().contains("Zabbix global macro {$VCR.AUTO} = 0");

        zabbix.autoMacro = "1";
        assertThat(recover("2005").exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aMacroZabbixCannotAnswerIsANoteNotAHold() throws Exception {
        zabbix.macroFailure = new IOException("TIMEOUT: usermacro.get");
        RecoveryReport r = recover("2006");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.notes()).anyMatch(n -> n.contains("{$VCR.AUTO} unknown"));
    }

    @Test
    void aRunByHandIsNeitherHeldNorCounted() throws Exception {
        othersFailed("a", "b", "c");
        Files.writeString(state.resolve("disabled"), "");
        RecoveryReport r = recover(null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(new FailureWindow(state).failures(config.breaker(), DedupLog.Now.system())).isEqualTo(3);
    }

    @Test
    void anApprovedServiceGoesThroughAndItsApprovalIsUsedUp() throws Exception {
        othersFailed("a", "b");
        new Approvals(state).approve("service", "svc", DedupLog.Now.system());

        assertThat(recover("2007").exitCode()).isEqualTo(ExitCode.OK);
        assertThat(dns.values).containsExactly(warm);
        assertThat(new Approvals(state).take("svc", null, DedupLog.Now.system())).as("the approval was used up").isFalse();
    }

    @Test
    void aStateDirectoryTheBreakerCannotUseHoldsTheRun() throws Exception {
        Files.writeString(state.resolve("breaker"), "a file where the directory should be");
        RecoveryReport r = recover("2009");
        assertNothingTouched(r);
        assertThat(r.summary()).contains("held: the circuit breaker cannot count failures");
    }
}
