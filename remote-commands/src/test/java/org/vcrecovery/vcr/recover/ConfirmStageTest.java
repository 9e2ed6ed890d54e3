package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/** The confirmation decides as soon as one answer is enough: it never slows a recovery libvirt already confirms. */
class ConfirmStageTest {
    @TempDir
    Path state;

    final LoopbackServices services = new LoopbackServices();

    @AfterEach
    void close() throws Exception {
        services.close();
    }

    @Test
    void aDomainLibvirtReportsShutOffIsConfirmedWithoutWaitingForASlowServiceCheck() throws Exception {
        String primary = services.host(1);
        services.serve(primary); // accepts, never answers HTTP: the check runs to its 2 s timeout
        Runbook rb = TestRunbook.primary(primary).standby("warm", "warm-container", "lxc", services.host(2))
                .check("http", services.port, "2s").read();
        Fakes.Backend libvirt = new Fakes.Backend("libvirt");
        libvirt.states.put("svc-vm", StandbyState.STOPPED);
        RunContext ctx = new RunContext(rb, new VcrConfig(null, state, state, Duration.ofMinutes(10), null), null, null,
                new RunContext.Ports(null, new Fakes.Dns(rb.dns(), primary), new ServiceChecker(),
                        StandbyBackends.of(List.of(Fakes.factory(libvirt)))), new PrintWriter(new StringWriter()));
        try {
            Verdict v = ConfirmStage.await(ctx, ConfirmStage.start(ctx));

            assertThat(v.stops()).isFalse();
            StepResult confirm = ctx.runner.steps().get(0);
            assertThat(confirm.detail()).isEqualTo("confirmed: domain svc-vm is stopped");
            assertThat(confirm.millis()).as("decided before the service check's 2 s were up").isLessThan(2000);
        } finally {
            ctx.executor.shutdownNow();
        }
    }
}
