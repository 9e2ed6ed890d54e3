package org.vcrecovery.vcr.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** vcr serve over a real loopback socket: what it runs, what it hands back, what it refuses without running. */
class ServeServerTest {
    static final String TOKEN = "5f0e1d2c3b4a";

    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final List<String> ran = new CopyOnWriteArrayList<>();
    ServeServer server;
    int port;

    record Reply(String first, int exit, String out, String err) {}

    void start(int maxRuns, ServeServer.Runner runner) throws IOException {
        start(maxRuns, runner, ServeServer.REQUEST_TIMEOUT);
    }

    void start(int maxRuns, ServeServer.Runner runner, Duration requestTimeout) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = socket.getLocalPort();
        server = new ServeServer(socket, TOKEN.getBytes(StandardCharsets.US_ASCII), maxRuns, runner,
                org.vcrecovery.vcr.pool.PoolCommand::execute, new PrintStream(log, true), requestTimeout);
        Thread t = new Thread(server::serve, "test-serve");
        t.setDaemon(true);
        t.start();
    }

    /** A runner that records the line and prints what a recovery would. */
    ServeServer.Runner recording(int exit) {
        return (command, out, err) -> {
            ran.add("run");
            out.println("web: recovered on web-warm (127.0.10.2) in 42 ms");
            err.println("vcr: web: ack failed: Zabbix said no");
            return exit;
        };
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
    }

    Reply ask(String token, Map<String, String> env, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("vcr-serve/1 " + token + "\n");
            env.forEach((k, v) -> req.append("env ").append(k).append('=').append(v).append('\n'));
            req.append("argc ").append(args.length).append('\n');
            for (String a : args) req.append(a).append('\0');
            OutputStream o = s.getOutputStream();
            o.write(req.toString().getBytes(StandardCharsets.UTF_8));
            o.flush();
            InputStream in = s.getInputStream();
            String first = line(in);
            if (!"accepted".equals(first)) return new Reply(first, -1, "", "");
            StringBuilder err = new StringBuilder();
            while (true) {
                String[] frame = line(in).split(" ");
                String text = new String(in.readNBytes(Integer.parseInt(frame[frame.length - 1])), StandardCharsets.UTF_8);
                if (frame[0].equals("err")) {
                    err.append(text);
                    continue;
                }
                assertThat(frame[0]).isEqualTo("done");
                return new Reply(first, Integer.parseInt(frame[1]), text, err.toString());
            }
        }
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPlainRecoverLineIsRunAndItsOutputAndExitCodeComeBack() throws IOException {
        start(4, recording(7));
        Reply r = ask(TOKEN, Map.of(), "recover", "--event-id", "15", "--trigger-host", "kvm-1", "--vm", "{EVENT.TAGS.vm}");
        assertThat(r).isEqualTo(new Reply("accepted", 7, "web: recovered on web-warm (127.0.10.2) in 42 ms\n",
                "vcr: web: ack failed: Zabbix said no\n"));
        assertThat(log.toString()).contains("vcr recover --event-id 15 --trigger-host kvm-1 --vm {EVENT.TAGS.vm} -> exit 7 in");
    }

    @Test
    void theCallersEnvironmentNotTheServersChoosesTheFiles() throws IOException {
        start(4, org.vcrecovery.vcr.recover.RecoverRun::run);
        Reply r = ask(TOKEN, Map.of("VCR_RUNBOOKS", "/nonexistent/caller-runbooks", "VCR_CONFIG", ""), "recover", "--runbook", "web");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vcr: no runbook 'web' in /nonexistent/caller-runbooks");
    }

    @Test
    void aPoolLineRunsHereWithTheCallersEnvironment() throws IOException {
        start(4, recording(0));
        Reply r = ask(TOKEN, Map.of("VCR_RUNBOOKS", "/nonexistent/caller-pools", "VCR_CONFIG", ""), "pool", "grow", "web-pool");
        assertThat(r.first()).isEqualTo("accepted");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vcr: no runbook 'web-pool' in /nonexistent/caller-pools");
        assertThat(log.toString()).contains("vcr pool grow web-pool -> exit 2 in");
        assertThat(ran).as("not the recover runner").isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "check-port --host 127.0.0.1 --port 80| fallback only vcr recover and vcr pool are served",
        "pool grow --help| fallback not a plain pool line",
        "pool approve web| fallback not a pool grow, shrink or status line",
        "pool grow pools/web.yaml| fallback a relative path on the command line",
        "pool shrink web.yaml| fallback a relative path on the command line",
        "pool status web --state-dir state| fallback a relative path on the command line",
        "recover --help| fallback not a plain recover line",
        "recover --runbook web --runbook mail| fallback not a plain recover line",
        "recover --config etc/vcr.yaml| fallback a relative path on the command line",
        "recover --runbook runbooks/web.yaml| fallback a relative path on the command line",
        "recover --runbook web.yaml| fallback a relative path on the command line",
        "recover --state-dir state| fallback a relative path on the command line"})
    void whatItCannotRunExactlyAsAFreshProcessIsLeftToTheCaller(String line, String answer) throws IOException {
        start(4, recording(0));
        assertThat(ask(TOKEN, Map.of(), line.split(" ")).first()).isEqualTo(answer);
        assertThat(ran).isEmpty();
    }

    @Test
    void aRelativePathInTheEnvironmentIsLeftToTheCaller() throws IOException {
        start(4, recording(0));
        assertThat(ask(TOKEN, Map.of("VCR_STATE_DIR", "state"), "recover", "--runbook", "web").first())
                .isEqualTo("fallback a relative path in the environment");
        assertThat(ran).isEmpty();
    }

    @Test
    void aWrongTokenIsDeniedAndNothingRuns() throws IOException {
        start(4, recording(0));
        assertThat(ask("5f0e1d2c3b4b", Map.of(), "recover", "--runbook", "web").first()).isEqualTo("denied");
        assertThat(ran).isEmpty();
        assertThat(log.toString()).contains("refused a request").doesNotContain("5f0e1d2c3b4b").doesNotContain(TOKEN);
    }

    @Test
    void beyondMaxRunsCallersAreToldToRunItThemselves() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(1, (command, out, err) -> {
            running.countDown();
            await(release);
            return 0;
        });
        Thread first = new Thread(() -> {
            try {
                ask(TOKEN, Map.of(), "recover", "--runbook", "web");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ask(TOKEN, Map.of(), "recover", "--runbook", "mail").first()).isEqualTo("fallback busy (1 runs in progress)");
        release.countDown();
        first.join(10_000);
        assertThat(ask(TOKEN, Map.of(), "recover", "--runbook", "mail").first()).isEqualTo("accepted");
    }

    @Test
    void progressOnStderrReachesTheCallerWhileTheRunGoesOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(2, (command, out, err) -> {
            err.println("vcr: web: start still running after 1 s");
            err.flush();
            await(release);
            out.println("web: recovered");
            return 0;
        });
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("vcr-serve/1 " + TOKEN + "\nargc 3\nrecover\0--runbook\0web\0").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            assertThat(line(in)).isEqualTo("accepted");
            assertThat(line(in)).isEqualTo("err 40");
            assertThat(new String(in.readNBytes(40), StandardCharsets.UTF_8)).isEqualTo("vcr: web: start still running after 1 s\n");
            release.countDown();
            assertThat(line(in)).isEqualTo("done 0 15");
            assertThat(new String(in.readNBytes(15), StandardCharsets.UTF_8)).isEqualTo("web: recovered\n");
        }
    }

    @Test
    void aRunWhoseCallerHangsUpStillFinishesAndClosingWaitsForIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(2, (command, out, err) -> {
            running.countDown();
            await(release);
            ran.add("finished");
            return 0;
        });
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(("vcr-serve/1 " + TOKEN + "\nargc 3\nrecover\0--runbook\0web\0").getBytes(StandardCharsets.UTF_8));
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        }
        server.close();
        assertThat(server.awaitRuns(Duration.ofMillis(50))).as("a run is in progress").isFalse();
        release.countDown();
        assertThat(server.awaitRuns(Duration.ofSeconds(10))).isTrue();
        assertThat(ran).containsExactly("finished");
    }

    @Test
    void aRequestTrickledSoThatEachReadIsInTimeButTheWholeIsNotIsCutOffAtTheRequestsDeadline() throws Exception {
        start(4, recording(0), Duration.ofMillis(300));
        byte[] request = ("vcr-serve/1 " + TOKEN + "\nargc 3\nrecover\0--runbook\0web\0").getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        String answer;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            try {
                for (byte b : request) { // one byte every 40 ms: each read waits far less than 300 ms
                    o.write(b);
                    o.flush();
                    Thread.sleep(40);
                }
            } catch (IOException cutOff) {
                // the server hung up mid-request
            }
            answer = line(s.getInputStream());
        } catch (IOException reset) {
            answer = null;
        }
        assertThat(answer).isNull();
        assertThat(ran).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(40L * request.length));
        assertThat(log.toString()).contains("request not complete within 300 ms");
    }

    @Test
    void aRunThatRunsOutOfMemoryEndsAloneWithOneLineTheOthersFinishAndNoNewRunIsTaken() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(4, (command, out, err) -> {
            if (command.namesVm()) throw new OutOfMemoryError("Java heap space");
            running.countDown();
            await(release);
            out.println("web: recovered");
            return 0;
        });
        Reply[] first = {null};
        Thread web = new Thread(() -> {
            try {
                first[0] = ask(TOKEN, Map.of(), "recover", "--runbook", "web");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        web.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        Reply oom = ask(TOKEN, Map.of(), "recover", "--runbook", "mail", "--vm", "mail-vm");
        assertThat(oom.exit()).isEqualTo(1);
        assertThat(oom.err()).isEqualTo("vcr: unexpected fatal error: java.lang.OutOfMemoryError: Java heap space\n");
        assertThat(log.toString()).contains("out of memory: no new runs");
        // A new caller finds the socket closed, or (when it came in before the close) is told to run
        // vcr itself: either way no new run is taken here.
        Reply late = null;
        try {
            late = ask(TOKEN, Map.of(), "recover", "--runbook", "ftp");
        } catch (IOException noLongerListening) {
            // closed
        }
        if (late != null) assertThat(late.first()).isEqualTo("fallback out of memory: stopping");

        release.countDown();
        web.join(10_000);
        assertThat(first[0]).isEqualTo(new Reply("accepted", 0, "web: recovered\n", ""));
        assertThat(server.awaitRuns(Duration.ofSeconds(10))).isTrue();
        assertThat(server.outOfMemory()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onlyLoopbackAddressesAreAccepted() {
        assertThat(ServeCommand.loopback("127.0.0.1:0").getPort()).isZero();
        assertThat(ServeCommand.loopback("127.5.6.7:4100").getAddress().getHostAddress()).isEqualTo("127.5.6.7");
        for (String bad : List.of("0.0.0.0:4100", "10.0.0.1:4100", "localhost:4100", "127.0.0.1:70000", "127.0.0.1:x", "::1")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeCommand.loopback(bad))
                    .hasMessageContaining("127.0.0.0/8");
        }
    }
}
