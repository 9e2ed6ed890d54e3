package org.vcrecovery.it.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The cold LXC standby: a busybox httpd container (host network, bound to its own 127.x
 * address) made by the sandbox's {@code lxc-service}, started through the lxc backend with the
 * real {@code lxc-*} tools, its port proven by the service checker.
 */
class LxcStandbyIT {
    private static final Duration T = Duration.ofSeconds(10);

    private String lxcpath;
    private String name;
    private InetSocketAddress service;
    private StandbyBackend lxc;

    @BeforeEach
    void createAContainer() throws Exception {
        Sandbox sandbox = Sandbox.get();
        lxcpath = sandbox.value(Sandbox.LXC_PATH);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        name = "standby-it-" + Long.toHexString(r.nextLong() & 0xffffffL);
        String ip = "127." + r.nextInt(100, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(2, 250);
        int port = r.nextInt(20000, 30000);
        service = new InetSocketAddress(InetAddress.getByName(ip), port);
        run(sandbox.value(Sandbox.LXC_SERVICE), name, ip, Integer.toString(port), "http");
        // Declare the service address where the lxc backend reads it (see LxcBackendFactory).
        Files.writeString(Path.of(lxcpath, name, "config"), "\nlxc.environment = VCR_ADDRESS=" + ip + "\n",
                StandardOpenOption.APPEND);
        lxc = StandbyBackends.installed().create("lxc", Map.of("lxcpath", lxcpath));
        if (lxc.status(name) != StandbyState.STOPPED) lxc.stop(name, T);
    }

    @AfterEach
    void destroy() throws Exception {
        if (lxc != null) lxc.close();
        run("lxc-stop", "-n", name, "-P", lxcpath, "-k");
        run("lxc-destroy", "-n", name, "-P", lxcpath);
    }

    @Test
    void aColdContainerIsStartedAndItsPortVerifiedWithinOneSecond() {
        ServiceChecker checker = new ServiceChecker();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertThat(lxc.status(name)).isEqualTo(StandbyState.STOPPED);
            long t0 = System.nanoTime();
            lxc.start(name, T);
            CheckResult up = checker.checkUntil(service, Protocol.HTTP, Duration.ofMillis(500),
                    Instant.now().plusSeconds(3), Duration.ofMillis(20));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(up.up()).as(up.summary()).isTrue();
            millis.add(ms);
            lxc.stop(name, T);
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long median = (sorted.get(4) + sorted.get(5)) / 2;
        System.err.printf("cold LXC start -> port verified (ms, 10 runs): %s; median %d, max %d%n",
                millis, median, sorted.get(9));
        assertThat(median).as("median of %s", millis).isLessThanOrEqualTo(1000);
    }

    @Test
    void statusFollowsStartSuspendResumeAndStop() {
        ServiceChecker checker = new ServiceChecker();
        assertThat(lxc.status(name)).isEqualTo(StandbyState.STOPPED);
        assertThat(lxc.address(name)).hasValueSatisfying(a -> assertThat(a).isEqualTo(service.getAddress().getHostAddress()));

        lxc.start(name, T);
        assertThat(lxc.status(name)).isEqualTo(StandbyState.RUNNING);
        lxc.start(name, T); // already running: nothing happens
        assertThat(checker.checkUntil(service, Protocol.HTTP, Duration.ofMillis(500), Instant.now().plusSeconds(3),
                Duration.ofMillis(20)).up()).isTrue();

        lxc.suspend(name, T);
        assertThat(lxc.status(name)).isEqualTo(StandbyState.PAUSED);
        CheckResult frozen = checker.check(service, Protocol.HTTP, Duration.ofMillis(300));
        assertThat(frozen.up()).as("a frozen httpd cannot answer: " + frozen.summary()).isFalse();

        lxc.start(name, T); // resumes
        assertThat(lxc.status(name)).isEqualTo(StandbyState.RUNNING);
        assertThat(checker.checkUntil(service, Protocol.HTTP, Duration.ofMillis(500), Instant.now().plusSeconds(3),
                Duration.ofMillis(20)).up()).isTrue();

        lxc.stop(name, T);
        assertThat(lxc.status(name)).isEqualTo(StandbyState.STOPPED);
        assertThat(checker.check(service, Protocol.TCP, Duration.ofMillis(300)).detail()).isEqualTo("connection refused");
        assertThat(lxc.list()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo(name);
            assertThat(i.state()).isEqualTo(StandbyState.STOPPED);
        });
    }

    @Test
    void operatorCommandsStartCheckAndStopTheContainer() {
        String host = service.getAddress().getHostAddress();
        String port = Integer.toString(service.getPort());

        VcrRun status = VcrRun.of("standby", "status", "--backend", "lxc", "-o", "lxcpath=" + lxcpath, name);
        assertThat(status.exit()).isEqualTo(7);
        assertThat(status.out()).startsWith("lxc " + name + " STOPPED, address " + host);
        VcrRun start = VcrRun.of("standby", "start", "--backend", "lxc", "-o", "lxcpath=" + lxcpath, name);
        assertThat(start.exit()).isZero();
        assertThat(start.out()).contains("lxc " + name + " started in ");
        VcrRun up = VcrRun.of("check-port", "--host", host, "--port", port, "--protocol", "http", "--wait-ms", "1000");
        assertThat(up.exit()).isZero();
        assertThat(up.out()).contains(host + ":" + port + " http up in ");
        assertThat(VcrRun.of("standby", "stop", "--backend", "lxc", "-o", "lxcpath=" + lxcpath, name).exit()).isZero();
        assertThat(VcrRun.of("check-port", "--host", host, "--port", port).exit()).isEqualTo(7);
        VcrRun absent = VcrRun.of("standby", "start", "--backend", "lxc", "-o", "lxcpath=" + lxcpath, "no-such-container");
        assertThat(absent.exit()).isEqualTo(2);
        assertThat(absent.err()).contains("lxc: no container 'no-such-container' in " + lxcpath);
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " hung");
        }
        if (p.exitValue() != 0 && !argv[0].equals("lxc-stop") && !argv[0].equals("lxc-destroy")) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + output);
        }
    }
}
