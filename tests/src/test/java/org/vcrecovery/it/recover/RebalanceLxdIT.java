package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * {@code vcr rebalance} with the real LXD daemon of the sandbox (tests/env/lxd: LXD 5.0, a
 * locally built busybox image): two instances stand for the service's containers on two
 * recovery VMs; the cold one is started over LXD's unix socket, checked, the record switched in
 * the real BIND, the TTL waited and the old instance stopped, while a client that follows DNS
 * requests the page every 10 ms and must see no failure. A live move (CRIU) is not possible on
 * this machine (tests/env/README.md, LXD section): make-before-break is how a running service moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebalanceLxdIT {
    private RecoverFixture f;
    private String url;
    private String i1;
    private String i2;
    private String vm1;
    private String vm2;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rbx");
        url = f.sandbox.value("LXD_URL");
        i1 = "rbx-1-" + f.suffix;
        i2 = "rbx-2-" + f.suffix;
        vm1 = "rbx-vm1-" + f.suffix;
        vm2 = "rbx-vm2-" + f.suffix;
        String service = f.sandbox.value("LXD_SERVICE");
        run(service, "--start", i1, f.address(2), Integer.toString(f.port));
        f.onClose(() -> run(service, "--delete", i1));
        run(service, i2, f.address(3), Integer.toString(f.port));
        f.onClose(() -> run(service, "--delete", i2));
        f.config(null, "");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    private StandbyState state(String instance) {
        try (StandbyBackend lxd = StandbyBackends.installed().create("lxd", Map.of("url", url))) {
            return lxd.status(instance);
        }
    }

    @Test
    void aServiceMovesBetweenTwoLxdInstancesWithoutOneFailedRequest() throws Exception {
        f.runbook(f.service, "service: " + f.service + "\nzabbix-host: " + f.service + "-vm\nprimary:\n  address: " + f.address(1)
                + "\nstandbys:\n"
                + RecoverFixture.Standby.lxd(i1, "cold-container", url, f.address(2)).zabbixHost(vm1).yaml()
                + RecoverFixture.Standby.lxd(i2, "cold-container", url, f.address(3)).zabbixHost(vm2).yaml()
                + "checks:\n  - protocol: http\n    port: " + f.port + "\n    timeout: 500ms\n"
                + f.dnsSection().replace("  ttl: 30\n", "  ttl: 2\n") + "limits:\n  start-timeout: 15s\n  check-timeout: 10s\n");
        f.dnsSet(f.address(2));
        assertThat(state(i2)).isEqualTo(StandbyState.STOPPED);

        VcrRun r;
        PollingClient client = new PollingClient(f.dns, f.record, f.port, Duration.ofSeconds(2), Duration.ofMillis(10));
        try {
            Thread.sleep(500);
            r = f.vcr("rebalance", "--config", f.dir.resolve("vcr.yaml").toString(), "--from", vm1, "--json");
            Thread.sleep(1000);
        } finally {
            client.close();
        }

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"result\":\"OK\"", "\"standby\":\"" + i2 + "\"", "started " + i2 + " (lxd " + i2 + ")",
                "stopped " + i1 + " (lxd " + i1 + ") on " + vm1);
        assertThat(client.failures).as("failed requests of " + client.requests.get()).isEmpty();
        assertThat(client.addresses()).containsExactly(f.address(2), f.address(3));
        assertThat(f.dig()).containsExactly(f.address(3));
        assertThat(state(i1)).isEqualTo(StandbyState.STOPPED);
        assertThat(state(i2)).isEqualTo(StandbyState.RUNNING);
        Matcher m = Pattern.compile("; move (\\d+) ms").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        System.out.println("RebalanceLxdIT: move " + m.group(1) + " ms (start of LXD instance " + i2 + " -> DNS switched and verified), "
                + client.requests.get() + " requests, " + client.failures.size() + " failed");
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }
}
