package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * {@link Recovery#runProven}: one VM of a dead KVM host, recovered with the host's proof of death.
 * The proof stands for its confirm and fence (the primary's libvirt is not asked: its host is
 * gone), and its maintenance, breaker and ladder were done once for the host; the lock, the
 * standby, its check and the DNS compare-and-swap are its own.
 */
class RunProvenTest {
    @TempDir
    Path state;

    final LoopbackServices services = new LoopbackServices();
    final String primary = services.host(1);
    final String warm = services.host(2);
    final Fakes.Zabbix zabbix = new Fakes.Zabbix();
    final Fakes.Backend lxc = new Fakes.Backend("lxc");
    final Fakes.Backend libvirt = new Fakes.Backend("libvirt");

    @AfterEach
    void close() throws IOException {
        services.close();
    }

    RecoveryReport recover(String proof) throws Exception {
        Runbook rb = TestRunbook.primary(primary).standby("warm", "warm-container", "lxc", warm).check("tcp", services.port, "200ms")
                .then("ladder:\n  - reboot-vm\n  - failover\nlimits:\n  check-timeout: 300ms\n").read();
        Fakes.Dns dns = new Fakes.Dns(rb.dns(), primary);
        VcrConfig config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/api_jsonrpc.php"), Path.of("/t"), null,
                null, Duration.ofSeconds(2), VcrConfig.MaintenanceUnknown.PROCEED, null), state, state, Duration.ofMinutes(10), null);
        Recovery r = new Recovery(rb, config, zabbix, dns, StandbyBackends.of(List.of(Fakes.factory(lxc), Fakes.factory(libvirt))),
                new ServiceChecker(), new PrintWriter(new StringWriter(), true));
        RecoveryReport report = r.runProven(proof);
        assertThat(dns.values).isEqualTo(report.recovered() ? List.of(warm) : List.of(primary));
        return report;
    }

    @Test
    void theHostsProofIsThisVmsConfirmAndFenceAndItsPrimaryIsNotTouched() throws Exception {
        services.serve(warm);
        libvirt.states.put("svc-vm", StandbyState.RUNNING); // what a dead host's libvirt can no longer say
        RecoveryReport r = recover("KVM host kvm1 proven dead once: its libvirt does not answer, ports silent");

        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(libvirt.calls).isEmpty();
        assertThat(zabbix.acks).isEmpty();
        assertThat(r.steps()).extracting(StepResult::name).containsSubsequence("lock", "maintenance", "confirm", "breaker", "fence", "check", "dns")
                .doesNotContain("reboot-vm", "ack");
        assertThat(r.steps()).filteredOn(s -> s.name().equals("fence")).singleElement()
                .satisfies(s -> assertThat(s.detail()).isEqualTo("KVM host kvm1 proven dead once: its libvirt does not answer, ports silent"));
        assertThat(r.steps()).filteredOn(s -> s.name().equals("breaker")).singleElement()
                .satisfies(s -> assertThat(s.detail()).isEqualTo("counted once for its KVM host"));
    }

    @Test
    void aStandbyThatFailsItsCheckLeavesDnsOnThePrimaryAsInAnyRun() throws Exception {
        RecoveryReport r = recover("KVM host kvm1 proven dead once: ports silent");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
    }
}
