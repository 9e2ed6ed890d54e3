package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.StepResult.Outcome;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.zabbix.sender.ZbxdProtocol;

/** {@link ReportStage}: where the report goes, when it is skipped, and that it never costs more than its bound. */
class ReportStageTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    static Runbook runbook(String warmHost, String coldHost) throws Exception {
        return TestRunbook.primaryWithoutVm("127.0.0.1")
                .standby("warm", "warm-container", "lxc", "127.0.0.2", zabbixHost(warmHost))
                .standby("cold", "cold-container", "lxc", "127.0.0.3", zabbixHost(coldHost))
                .check("http").read();
    }

    private static String[] zabbixHost(String host) {
        return host == null ? new String[0] : new String[] {"zabbix-host: " + host};
    }

    static Stream<Arguments> hosts() {
        return Stream.of(
                Arguments.of("rv-a", "rv-b", "cold", "rv-b"),
                Arguments.of("rv-a", "rv-b", "warm", "rv-a"),
                Arguments.of("rv-a", null, "cold", "rv-a"),
                Arguments.of(null, "rv-b", null, "rv-b"),
                Arguments.of(null, null, "warm", null));
    }

    @ParameterizedTest(name = "warm {0}, cold {1}, served by {2} -> {3}")
    @MethodSource("hosts")
    void theReportGoesToTheServingStandbysHostElseTheFirstThatHasOne(String warm, String cold, String serving, String host)
            throws Exception {
        assertThat(ReportStage.host(runbook(warm, cold), serving)).isEqualTo(host);
    }

    RunContext ctx(VcrConfig.Trapper trapper, String warmHost, ExitCode exit) throws Exception {
        VcrConfig config = new VcrConfig(new VcrConfig.Zabbix(URI.create("http://127.0.0.1:1/"), Path.of("/t"), null, null,
                Duration.ofSeconds(1), VcrConfig.MaintenanceUnknown.PROCEED, null, trapper),
                Path.of("/nonexistent"), Path.of("/nonexistent"), Duration.ZERO, null);
        RunContext ctx = new RunContext(runbook(warmHost, null), config, null, null,
                new RunContext.Ports(null, null, new ServiceChecker(), StandbyBackends.of(List.of())), new PrintWriter(new StringWriter()));
        if (exit != null) ctx.end(Verdict.stop(exit, "headline"));
        return ctx;
    }

    static Stream<Arguments> skipped() {
        VcrConfig.Trapper t = new VcrConfig.Trapper("127.0.0.1", 10051);
        return Stream.of(
                Arguments.of(null, "rv", ExitCode.OK),
                Arguments.of(t, null, ExitCode.OK),
                Arguments.of(t, "rv", ExitCode.IN_PROGRESS),
                Arguments.of(t, "rv", ExitCode.DUPLICATE),
                Arguments.of(t, "rv", ExitCode.IN_MAINTENANCE));
    }

    @ParameterizedTest(name = "trapper {0}, host {1}, exit {2}")
    @MethodSource("skipped")
    void nothingIsSentWithoutATrapperOrAHostOrWhenTheGuardStoppedTheRun(VcrConfig.Trapper t, String host, ExitCode exit)
            throws Exception {
        RunContext ctx = ctx(t, host, exit);
        assertThat(ReportStage.start(ctx, "warm", Recovery::report, (a, b, c, d, e) -> {
            throw new AssertionError("sent");
        })).isNull();
        ReportStage.finish(ctx, null);
        assertThat(ctx.runner.steps()).isEmpty();
    }

    @Test
    void aSenderThatHangsCostsAtMostTheBoundAndLeavesANote() throws Exception {
        RunContext ctx = ctx(new VcrConfig.Trapper("127.0.0.1", 10051), "rv", ExitCode.OK);
        CountDownLatch never = new CountDownLatch(1);
        long t0 = System.nanoTime();
        ReportStage.Pending p = ReportStage.start(ctx, "warm", Recovery::report, (a, b, c, d, e) -> {
            try {
                never.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        ReportStage.finish(ctx, p);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(ms).isBetween(ReportStage.TIMEOUT.toMillis() - 50, ReportStage.TIMEOUT.toMillis() + 1500);
        assertThat(ctx.runner.steps()).singleElement().extracting(StepResult::outcome).isEqualTo(Outcome.TIMED_OUT);
        assertThat(ctx.notes).singleElement().asString().startsWith("report not sent to Zabbix host rv item vcr.recovery.report");
        assertThat(ctx.exit).isEqualTo(ExitCode.OK);
    }

    @Test
    void theRealSenderSpeaksTheTrapperProtocolAndAReportOfAFailureIsAFailedStep() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String[] got = {null};
            executor.submit(() -> {
                for (String reply : List.of("processed: 1; failed: 0; total: 1; seconds spent: 0.000050",
                        "processed: 0; failed: 1; total: 1; seconds spent: 0.000050")) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        got[0] = new String(ZbxdProtocol.readFrame(in, 1 << 20), StandardCharsets.UTF_8);
                        OutputStream out = s.getOutputStream();
                        ZbxdProtocol.writeFrame(out, ("{\"response\":\"success\",\"info\":\"" + reply + "\"}")
                                .getBytes(StandardCharsets.UTF_8), false);
                    }
                }
                return null;
            });
            VcrConfig.Trapper t = new VcrConfig.Trapper("127.0.0.1", server.getLocalPort());

            RunContext ok = ctx(t, "rv", ExitCode.OK);
            ReportStage.finish(ok, ReportStage.start(ok, "warm", Recovery::report));
            assertThat(ok.runner.steps()).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.OK);
                assertThat(s.detail()).isEqualTo("sent to Zabbix host rv item vcr.recovery.report via 127.0.0.1:" + server.getLocalPort());
            });
            assertThat(got[0]).contains("\"host\":\"rv\"", "\"key\":\"vcr.recovery.report\"", "\"value\":\"svc: headline in ");

            RunContext refused = ctx(t, "rv", ExitCode.SERVICE_DOWN);
            ReportStage.finish(refused, ReportStage.start(refused, "warm", Recovery::report));
            assertThat(refused.runner.steps()).singleElement().extracting(StepResult::outcome).isEqualTo(Outcome.FAILED);
            assertThat(refused.notes).singleElement().asString().contains("does host rv have the trapper item vcr.recovery.report");
        }
    }

    @Test
    void anUnreachableTrapperIsAFailedStepNotAFailedRun() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RunContext ctx = ctx(new VcrConfig.Trapper("127.0.0.1", port), "rv", ExitCode.OK);
        ReportStage.finish(ctx, ReportStage.start(ctx, "warm", Recovery::report));
        assertThat(ctx.runner.steps()).singleElement().extracting(StepResult::outcome).isEqualTo(Outcome.FAILED);
        assertThat(ctx.exit).isEqualTo(ExitCode.OK);
        assertThat(ctx.notes).singleElement().asString().contains("Connect");
    }
}
