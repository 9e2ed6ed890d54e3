package org.vcrecovery.vcr.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vcrecovery.vcr.rebalance.RebalanceFakes.runbook;
import static org.vcrecovery.vcr.rebalance.RebalanceFakes.standby;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.ServiceLock;
import org.vcrecovery.vcr.recover.StepResult;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

class MoverTest {
    @TempDir
    Path state;

    final int port = ThreadLocalRandom.current().nextInt(20000, 60000);
    final Runbook web = runbook("web", port, standby("web-1", "vm1", "127.0.41.1"), standby("web-2", "vm2", "127.0.41.2"));
    final Move move = new Move(web, web.standbys().get(0), web.standbys().get(1), "cpu 10.0 %, 0 services");
    final RebalanceFakes.Backend lxc = new RebalanceFakes.Backend();
    final RebalanceFakes.Dns dns = new RebalanceFakes.Dns(web.dns(), "127.0.41.1");
    /** What the old container's state was when the drain began, and when DNS was read during it. */
    final List<String> duringDrain = Collections.synchronizedList(new ArrayList<>());

    Mover mover() {
        return new Mover(state, rb -> dns, StandbyBackends.of(List.of(lxc.factory())), new ServiceChecker(), d -> {
            duringDrain.add("old " + lxc.status("web-1") + ", dns " + dns.values + ", wait " + d.toMillis() + " ms");
        }, null);
    }

    @AfterEach
    void close() throws Exception {
        lxc.closeAll();
    }

    @Test
    void startsTheNewOneChecksItSwitchesDnsWaitsTheTtlThenStopsTheOld() throws Exception {
        lxc.serve("web-1", "127.0.41.1", port, StandbyState.RUNNING);
        lxc.serve("web-2", "127.0.41.2", port, StandbyState.STOPPED);

        RecoveryReport r = mover().move(move, null);

        assertThat(r.exitCode()).as(r.summary()).isEqualTo(ExitCode.OK);
        assertThat(r.headline()).startsWith("moved from web-1 on vm1 to web-2 on vm2 (127.0.41.2); move ").endsWith("; old standby stopped");
        assertThat(r.steps()).extracting(StepResult::name).containsExactly("lock", "dns-read", "start", "check", "dns", "drain", "stop-old");
        assertThat(lxc.calls).containsExactly("start web-2", "stop web-1");
        assertThat(dns.values).containsExactly("127.0.41.2");
        assertThat(duringDrain).as("the old one still runs while clients follow the new record; TTL 1 s")
                .containsExactly("old RUNNING, dns [127.0.41.2], wait 1000 ms");
        assertThat(Files.readString(state.resolve("audit.jsonl"))).contains("\"service\":\"web\"", "\"standby\":\"web-2\"");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.41.2", port), 500);
        }
    }

    @Test
    void aNewStandbyThatFailsItsCheckIsStoppedAgainAndNothingElseChanges() throws Exception {
        lxc.serve("web-1", "127.0.41.1", port, StandbyState.RUNNING);
        lxc.broken.add("web-2");
        lxc.serve("web-2", "127.0.41.2", port, StandbyState.STOPPED);

        RecoveryReport r = mover().move(move, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(r.headline()).startsWith("not moved: standby web-2 (127.0.41.2) does not answer its checks").endsWith("web stays on web-1");
        assertThat(lxc.calls).containsExactly("start web-2", "stop web-2");
        assertThat(dns.swaps).isEmpty();
        assertThat(lxc.status("web-1")).isEqualTo(StandbyState.RUNNING);
    }

    @Test
    void aRecordThatMovedMeanwhileIsAConflictAndNothingStarts() throws Exception {
        dns.values = List.of("127.0.0.1");
        lxc.serve("web-2", "127.0.41.2", port, StandbyState.STOPPED);

        RecoveryReport r = mover().move(move, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(r.headline()).contains("holds 127.0.0.1, no longer web-1's 127.0.41.1", "nothing changed");
        assertThat(lxc.calls).isEmpty();
    }

    @Test
    void aDnsConflictAtTheSwitchStopsTheNewOneAndLeavesTheOld() throws Exception {
        lxc.serve("web-1", "127.0.41.1", port, StandbyState.RUNNING);
        lxc.serve("web-2", "127.0.41.2", port, StandbyState.STOPPED);
        Mover m = new Mover(state, rb -> new RebalanceFakes.Dns(web.dns(), "127.0.41.1") {
            @Override
            public synchronized org.vcrecovery.dns.UpdateResult swap(List<String> from, String to) {
                values = List.of("127.0.0.9"); // someone else got there first
                return super.swap(from, to);
            }
        }, StandbyBackends.of(List.of(lxc.factory())), new ServiceChecker(), d -> {}, Duration.ZERO);

        RecoveryReport r = m.move(move, null);

        assertThat(r.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(lxc.calls).containsExactly("start web-2", "stop web-2");
        assertThat(lxc.status("web-1")).isEqualTo(StandbyState.RUNNING);
    }

    @Test
    void aMoveWhileARecoveryHoldsTheServiceLockIsInProgressAndTouchesNothing() throws Exception {
        lxc.serve("web-1", "127.0.41.1", port, StandbyState.RUNNING);
        lxc.serve("web-2", "127.0.41.2", port, StandbyState.STOPPED);
        try (ServiceLock held = ServiceLock.tryAcquire(state, "web").orElseThrow()) {
            RecoveryReport r = mover().move(move, null);

            assertThat(r.exitCode()).isEqualTo(ExitCode.IN_PROGRESS);
            assertThat(r.headline()).startsWith("not moved: a recovery or move of web is in progress (pid ");
        }
        assertThat(lxc.calls).isEmpty();
        assertThat(dns.swaps).isEmpty();
    }
}
