package org.vcrecovery.vcr.standby.lxc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

class LxcBackendTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** Replays scripted results in order and records every argv. */
    static final class RecordingTools implements ToolRunner {
        final List<List<String>> calls = new ArrayList<>();
        final Deque<Result> replies = new ArrayDeque<>();

        RecordingTools then(int exit, String out, String err) {
            replies.add(new Result(exit, out, err));
            return this;
        }

        @Override
        public Result run(List<String> argv, Duration timeout) {
            calls.add(argv);
            if (replies.isEmpty()) throw new AssertionError("unexpected call " + argv);
            return replies.poll();
        }

        List<String> tools() {
            return calls.stream().map(c -> c.get(0)).toList();
        }
    }

    @TempDir
    Path lxcpath;
    RecordingTools tools;
    LxcBackend lxc;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(lxcpath.resolve("web"));
        Files.writeString(lxcpath.resolve("web/config"), "lxc.uts.name = web\nlxc.environment = VCR_ADDRESS=127.0.7.9\n");
        tools = new RecordingTools();
        lxc = new LxcBackend(lxcpath, tools);
    }

    @Test
    void startOfAStoppedContainerRunsLxcStartDaemonisedThenWaitsForRunning() {
        tools.then(0, "State:          STOPPED\n", "").then(0, "", "").then(0, "", "");
        lxc.start("web", T);
        String p = lxcpath.toString();
        assertThat(tools.calls).containsExactly(
                List.of("lxc-info", "-n", "web", "-P", p, "-s"),
                List.of("lxc-start", "-n", "web", "-P", p, "-d"),
                List.of("lxc-wait", "-n", "web", "-P", p, "-s", "RUNNING", "-t", "5"));
    }

    @Test
    void startOfAFrozenContainerUnfreezesIt() {
        tools.then(0, "State: FROZEN\n", "").then(0, "", "").then(0, "", "");
        lxc.start("web", T);
        assertThat(tools.tools()).containsExactly("lxc-info", "lxc-unfreeze", "lxc-wait");
    }

    @Test
    void startOfARunningContainerDoesNothingMore() {
        tools.then(0, "State: RUNNING\n", "");
        lxc.start("web", T);
        assertThat(tools.tools()).containsExactly("lxc-info");
    }

    @Test
    void stopKillsAndThawsAFrozenContainerFirst() {
        tools.then(0, "State: FROZEN\n", "").then(0, "", "").then(0, "", "").then(0, "", "");
        lxc.stop("web", T);
        assertThat(tools.calls.get(2)).containsExactly("lxc-stop", "-n", "web", "-P", lxcpath.toString(), "-k");
        assertThat(tools.tools()).containsExactly("lxc-info", "lxc-unfreeze", "lxc-stop", "lxc-wait");
        assertThat(tools.calls.get(3)).contains("STOPPED");
    }

    @Test
    void suspendFreezes() {
        tools.then(0, "State: RUNNING\n", "").then(0, "", "").then(0, "", "");
        lxc.suspend("web", T);
        assertThat(tools.tools()).containsExactly("lxc-info", "lxc-freeze", "lxc-wait");
        assertThat(tools.calls.get(2)).contains("FROZEN");
    }

    @Test
    void aContainerWithoutConfigIsAbsentWithoutRunningAnything() {
        assertThat(lxc.status("ghost")).isEqualTo(StandbyState.ABSENT);
        assertThatThrownBy(() -> lxc.start("ghost", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.NOT_FOUND))
                .hasMessage("lxc: no container 'ghost' in " + lxcpath);
        assertThat(tools.calls).isEmpty();
    }

    @Test
    void aHostileNameNeverReachesATool() {
        assertThatThrownBy(() -> lxc.start("web;reboot", T)).isInstanceOf(StandbyException.class);
        assertThatThrownBy(() -> lxc.status("../../etc")).isInstanceOf(StandbyException.class);
        assertThat(tools.calls).isEmpty();
    }

    @Test
    void aFailedStartCarriesTheToolsLastErrorLine() {
        tools.then(0, "State: STOPPED\n", "").then(1, "", "lxc-start: web: some noise\nlxc-start: web: Permission denied - Failed to start\n");
        assertThatThrownBy(() -> lxc.start("web", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.REFUSED))
                .hasMessage("lxc: lxc-start on 'web' failed (exit 1): lxc-start: web: Permission denied - Failed to start");
    }

    @Test
    void aContainerThatNeverRunsIsATimeout() {
        tools.then(0, "State: STOPPED\n", "").then(0, "", "").then(1, "", "");
        assertThatThrownBy(() -> lxc.start("web", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.TIMEOUT))
                .hasMessageStartingWith("lxc: container 'web' did not reach RUNNING within");
    }

    @ParameterizedTest
    @CsvSource({"RUNNING,RUNNING", "FROZEN,PAUSED", "STOPPED,STOPPED", "STARTING,UNKNOWN", "THAWED,RUNNING", "ABORTING,UNKNOWN"})
    void lxcStatesMapOntoStandbyStates(String lxcState, StandbyState expected) {
        assertThat(LxcBackend.parseState(lxcState)).isEqualTo(expected);
    }

    @Test
    void theAddressComesFromTheContainerConfig() {
        assertThat(lxc.address("web")).contains("127.0.7.9");
        assertThat(LxcBackend.addressFromConfig("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.3.5/24\n")).contains("10.0.3.5");
        assertThat(LxcBackend.addressFromConfig("lxc.net.0.type = none\n")).isEmpty();
        assertThat(lxc.address("ghost")).isEmpty();
    }

    @Test
    void listParsesFancyOutput() {
        tools.then(0, "NAME STATE   \nweb  RUNNING \ndb   STOPPED \n", "");
        List<StandbyInfo> all = lxc.list();
        assertThat(tools.calls.get(0)).containsExactly("lxc-ls", "-P", lxcpath.toString(), "--fancy", "-F", "NAME,STATE");
        assertThat(all).containsExactly(
                new StandbyInfo("web", StandbyState.RUNNING, Optional.of("127.0.7.9")),
                new StandbyInfo("db", StandbyState.STOPPED, Optional.empty()));
    }

    @Test
    void theFactoryRejectsARelativeLxcpath() {
        assertThatThrownBy(() -> new LxcBackendFactory().create(Map.of("lxcpath", "relative/dir")))
                .hasMessage("lxc: option lxcpath must be an absolute path, got 'relative/dir'");
    }

    @Test
    void aMissingToolIsUnreachable() {
        assertThatThrownBy(() -> new ProcessToolRunner().run(List.of("/nonexistent/lxc-info"), T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.UNREACHABLE));
    }

    @Test
    void aToolThatHangsIsKilledAtTheTimeout() {
        assertThatThrownBy(() -> new ProcessToolRunner().run(List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.TIMEOUT));
    }

    @Test
    void theProcessRunnerCapturesBothStreams() {
        ToolRunner.Result r = new ProcessToolRunner().run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), T);
        assertThat(r).isEqualTo(new ToolRunner.Result(3, "out\n", "err\n"));
    }
}
