package org.vcrecovery.it.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The lxd backend against the sandbox's real LXD 5.0 daemon (tests/env/lxd/up), over its unix
 * socket: a busybox httpd instance of the locally built image, privileged on the host network
 * and bound to its own 127.x address (made by tests/env/lxd/service), started, frozen, resumed
 * and stopped, its port proven by the service checker.
 */
class LxdStandbyIT {
    /** Keys tests/env/lxd/up writes into sandbox.env. */
    static final String LXD_URL = "LXD_URL";
    static final String LXD_SERVICE = "LXD_SERVICE";
    private static final Duration T = Duration.ofSeconds(15);
    private static final String ADDRESS_KEY = "user.vcr.address";

    private String url;
    private String name;
    private InetSocketAddress service;
    private StandbyBackend lxd;
    private final ServiceChecker checker = new ServiceChecker();

    @BeforeEach
    void createAnInstance() throws Exception {
        Sandbox sandbox = Sandbox.get();
        url = sandbox.value(LXD_URL);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        name = "lxd-it-" + Long.toHexString(r.nextLong() & 0xffffffL);
        String ip = "127." + r.nextInt(100, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(2, 250);
        service = new InetSocketAddress(InetAddress.getByName(ip), r.nextInt(20000, 30000));
        run(sandbox.value(LXD_SERVICE), name, ip, Integer.toString(service.getPort()));
        lxd = StandbyBackends.installed().create("lxd", Map.of("url", url));
    }

    @AfterEach
    void deleteIt() throws Exception {
        if (lxd != null) lxd.close();
        run(Sandbox.get().value(LXD_SERVICE), "--delete", name);
    }

    private CheckResult answersWithin(Duration d) {
        return checker.checkUntil(service, Protocol.HTTP, Duration.ofMillis(500), Instant.now().plus(d), Duration.ofMillis(20));
    }

    @Test
    void aColdInstanceIsStartedAndItsPortVerifiedWithinOneSecond() {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            assertThat(lxd.status(name)).isEqualTo(StandbyState.STOPPED);
            long t0 = System.nanoTime();
            lxd.start(name, T);
            CheckResult up = answersWithin(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(up.up()).as(up.summary()).isTrue();
            millis.add(ms);
            lxd.stop(name, T);
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long median = sorted.get(3);
        System.err.printf("cold LXD start -> port verified (ms, 7 runs): %s; median %d, max %d%n", millis, median, sorted.get(6));
        assertThat(median).as("median of %s", millis).isLessThanOrEqualTo(1000);
    }

    @Test
    void aWarmInstanceIsLeftRunningAndAnswers() throws Exception {
        lxd.start(name, T);
        assertThat(answersWithin(Duration.ofSeconds(5)).up()).isTrue();
        long t0 = System.nanoTime();
        lxd.start(name, T); // already running: nothing is done
        assertThat((System.nanoTime() - t0) / 1_000_000).as("a running instance is only looked at").isLessThan(1000);
        assertThat(lxd.status(name)).isEqualTo(StandbyState.RUNNING);
        CheckResult page = checker.check(service, Protocol.HTTP, Duration.ofMillis(500));
        assertThat(page.up()).as(page.summary()).isTrue();
        // On the host network LXD reports the host's interfaces: the address comes from user.vcr.address.
        assertThat(lxd.address(name)).contains(service.getAddress().getHostAddress());
        // Without it the state's interfaces are the host's (eth0...): no address rather than a wrong one.
        Sandbox sandbox = Sandbox.get();
        run(Map.of("LXD_DIR", sandbox.value("LXD_DIR"), "LXD_CONF", sandbox.dir().resolve("lxd-client").toString()),
                "lxc", "config", "unset", name, ADDRESS_KEY);
        assertThat(lxd.address(name)).isEmpty();
    }

    @Test
    void statusFollowsFreezeResumeAndStop() {
        lxd.start(name, T);
        assertThat(answersWithin(Duration.ofSeconds(5)).up()).isTrue();

        lxd.suspend(name, T);
        assertThat(lxd.status(name)).isEqualTo(StandbyState.PAUSED);
        CheckResult frozen = checker.check(service, Protocol.HTTP, Duration.ofMillis(300));
        assertThat(frozen.up()).as("a frozen httpd cannot answer: " + frozen.summary()).isFalse();
        lxd.suspend(name, T); // already frozen: nothing is done

        lxd.start(name, T); // resumes
        assertThat(lxd.status(name)).isEqualTo(StandbyState.RUNNING);
        assertThat(answersWithin(Duration.ofSeconds(3)).up()).isTrue();

        lxd.stop(name, T);
        assertThat(lxd.status(name)).isEqualTo(StandbyState.STOPPED);
        assertThat(checker.check(service, Protocol.TCP, Duration.ofMillis(300)).detail()).isEqualTo("connection refused");
        lxd.stop(name, T); // already stopped: nothing is done
        assertThat(lxd.list()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo(name);
            assertThat(i.state()).isEqualTo(StandbyState.STOPPED);
            assertThat(i.address()).contains(service.getAddress().getHostAddress());
        });
    }

    @Test
    void aRebootComesBackAnswering() {
        lxd.start(name, T);
        assertThat(answersWithin(Duration.ofSeconds(5)).up()).isTrue();
        lxd.reboot(name, T);
        assertThat(lxd.status(name)).isEqualTo(StandbyState.RUNNING);
        assertThat(answersWithin(Duration.ofSeconds(5)).up()).isTrue();
        lxd.stop(name, T);
        assertThatThrownBy(() -> lxd.reboot(name, T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED))
                .hasMessage("lxd: cannot reboot instance '" + name + "': it is STOPPED");
    }

    @Test
    void overHttpsATrustedClientStartsAndStopsTheInstanceAndOthersAreRefused() throws Exception {
        Sandbox sandbox = Sandbox.get();
        String https = sandbox.value("LXD_HTTPS_URL");
        Map<String, String> tls = Map.of("url", https, "client-cert", sandbox.value("LXD_CLIENT_CERT"),
                "client-key", sandbox.value("LXD_CLIENT_KEY"), "server-cert", sandbox.value("LXD_SERVER_CERT"));
        try (StandbyBackend overHttps = StandbyBackends.installed().create("lxd", tls)) {
            assertThat(overHttps.status(name)).isEqualTo(StandbyState.STOPPED);
            overHttps.start(name, T);
            assertThat(answersWithin(Duration.ofSeconds(5)).up()).isTrue();
            assertThat(lxd.status(name)).as("the socket sees what HTTPS did").isEqualTo(StandbyState.RUNNING);
            overHttps.stop(name, T);
            assertThat(overHttps.status(name)).isEqualTo(StandbyState.STOPPED);
        }
        // A server certificate that is not the daemon's: refused before any request is sent.
        Map<String, String> wrongServer = new HashMap<>(tls);
        wrongServer.put("server-cert", sandbox.value("LXD_CLIENT_CERT"));
        try (StandbyBackend impostor = StandbyBackends.installed().create("lxd", wrongServer)) {
            assertThatThrownBy(() -> impostor.start(name, T))
                    .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.UNREACHABLE));
        }
        // A client certificate the daemon does not trust: LXD's 403, nothing started.
        Path dir = Files.createTempDirectory("lxd-intruder-");
        try {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=intruder", "-keyout", dir.resolve("k.pem").toString(), "-out", dir.resolve("c.pem").toString());
            Files.setPosixFilePermissions(dir.resolve("k.pem"), PosixFilePermissions.fromString("rw-------"));
            Map<String, String> intruder = new HashMap<>(tls);
            intruder.put("client-cert", dir.resolve("c.pem").toString());
            intruder.put("client-key", dir.resolve("k.pem").toString());
            try (StandbyBackend untrusted = StandbyBackends.installed().create("lxd", intruder)) {
                assertThatThrownBy(() -> untrusted.start(name, T))
                        .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.REFUSED))
                        .hasMessage("lxd: '" + name + "': not authorized (403)");
            }
        } finally {
            for (String f : List.of("k.pem", "c.pem")) Files.deleteIfExists(dir.resolve(f));
            Files.delete(dir);
        }
        assertThat(lxd.status(name)).isEqualTo(StandbyState.STOPPED);
    }

    @Test
    void aMissingInstanceIsAbsentAndCannotBeStarted() {
        String ghost = name + "-gone";
        assertThat(lxd.status(ghost)).isEqualTo(StandbyState.ABSENT);
        for (Runnable op : List.<Runnable>of(() -> lxd.start(ghost, T), () -> lxd.stop(ghost, T))) {
            assertThatThrownBy(op::run)
                    .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                    .hasMessage("lxd: no instance '" + ghost + "' at " + url);
        }
        assertThatThrownBy(() -> lxd.address(ghost))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("lxd: '" + ghost + "': Instance not found (404)");
    }

    @Test
    void aHostileNameNeverReachesTheDaemon() {
        for (String bad : List.of("../1.0/instances", "web/state", "a b", "x?recursion=1", "")) {
            assertThatThrownBy(() -> lxd.stop(bad, T))
                    .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID));
        }
        assertThat(lxd.list()).noneSatisfy(i -> assertThat(i.state()).isEqualTo(StandbyState.UNKNOWN));
    }

    @Test
    void operatorCommandsStartCheckAndStopTheInstance() {
        String host = service.getAddress().getHostAddress();
        String port = Integer.toString(service.getPort());

        VcrRun status = VcrRun.of("standby", "status", "--backend", "lxd", "-o", "url=" + url, name);
        assertThat(status.exit()).as(status.err()).isEqualTo(7);
        assertThat(status.out()).startsWith("lxd " + name + " STOPPED, address " + host);
        VcrRun start = VcrRun.of("standby", "start", "--backend", "lxd", "-o", "url=" + url, name);
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("lxd " + name + " started in ");
        assertThat(VcrRun.of("check-port", "--host", host, "--port", port, "--protocol", "http", "--wait-ms", "2000").exit()).isZero();
        assertThat(VcrRun.of("standby", "stop", "--backend", "lxd", "-o", "url=" + url, name).exit()).isZero();
        assertThat(VcrRun.of("check-port", "--host", host, "--port", port).exit()).isEqualTo(7);

        VcrRun missing = VcrRun.of("standby", "start", "--backend", "lxd", "-o", "url=" + url, "no-such-instance");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("lxd: no instance 'no-such-instance' at " + url);
    }

    static void run(String... argv) throws IOException, InterruptedException {
        run(Map.of(), argv);
    }

    static void run(Map<String, String> env, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " hung");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + output);
    }
}
