package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;

/**
 * {@code vcr rebalance} end to end with real LXC containers: two lxcpaths stand for two recovery
 * VMs ({@code rb-vm1-*}: the sandbox's lxcpath, {@code rb-vm2-*}: a second one), the service is a
 * busybox httpd in each, the record lives in the real BIND. A client that follows DNS (resolving
 * at the authoritative server, keeping the answer for its TTL) requests the page every 10 ms
 * through the whole move and must see no failed request; the move (start of the new container to
 * DNS switched and verified) is printed for the README.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebalanceLxcIT {
    private RecoverFixture f;
    private String vm1;
    private String vm2;
    private String lxcpath2;
    private String c1;
    private String c2;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rbl");
        vm1 = "rb-vm1-" + f.suffix;
        vm2 = "rb-vm2-" + f.suffix;
        lxcpath2 = Path.of(f.lxcpath()).resolveSibling("lxc-rebalance").toString();
        Files.createDirectories(Path.of(lxcpath2));
        c1 = "rbl-1-" + f.suffix;
        c2 = "rbl-2-" + f.suffix;
        f.lxcContainer(true, c1, f.address(2));
        f.lxcContainerIn(lxcpath2, false, c2, f.address(3));
        f.config(null, "");
    }

    @AfterAll
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    /** The runbook: c1 on vm1, c2 on vm2 (both cold containers), record TTL {@code ttl} s. */
    private void runbook(int ttl) throws Exception {
        f.runbook(f.service, "service: " + f.service + "\nzabbix-host: " + f.service + "-vm\nprimary:\n  address: " + f.address(1)
                + "\nstandbys:\n"
                + new RecoverFixture.Standby(c1, "cold-container", f.address(2)).lxcpath(f.lxcpath()).zabbixHost(vm1).yaml()
                + new RecoverFixture.Standby(c2, "cold-container", f.address(3)).lxcpath(lxcpath2).zabbixHost(vm2).yaml()
                + "checks:\n  - protocol: http\n    port: " + f.port + "\n    timeout: 500ms\n"
                + f.dnsSection().replace("  ttl: 30\n", "  ttl: " + ttl + "\n") + "limits:\n  start-timeout: 15s\n  check-timeout: 3s\n");
    }

    private VcrRun rebalance(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "rebalance";
        all[1] = "--config";
        all[2] = f.dir.resolve("vcr.yaml").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return f.vcr(all);
    }

    @Test
    void aServiceMovesToTheOtherRecoveryVmWithoutOneFailedRequest() throws Exception {
        runbook(2);
        f.dnsSet(f.address(2));

        VcrRun plan = rebalance("--from", vm1, "--plan");
        assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).startsWith("PLAN ONLY").contains("Move " + f.service + " from standby " + c1 + " on " + vm1,
                "to standby " + c2 + " on " + vm2);
        assertThat(f.lxcStateIn(lxcpath2, c2)).as("--plan changes nothing").isEqualTo("STOPPED");

        VcrRun r;
        PollingClient client = new PollingClient(f.dns, f.record, f.port, Duration.ofSeconds(2), Duration.ofMillis(10));
        try {
            Thread.sleep(500);
            r = rebalance("--from", vm1);
            Thread.sleep(1000);
        } finally {
            client.close();
        }

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith(f.service + ": moved from " + c1 + " on " + vm1 + " to " + c2 + " on " + vm2 + " (" + f.address(3)
                + "); move ").contains("; old standby stopped in ", "start ", "check ", "dns ", "drain ", "stop-old ");
        assertThat(client.failures).as("failed requests of " + client.requests.get()).isEmpty();
        assertThat(client.addresses()).containsExactly(f.address(2), f.address(3));
        assertThat(f.dig()).containsExactly(f.address(3));
        assertThat(f.lxcState(c1)).isEqualTo("STOPPED");
        assertThat(f.lxcStateIn(lxcpath2, c2)).isEqualTo("RUNNING");
        Matcher m = Pattern.compile("; move (\\d+) ms").matcher(r.out());
        assertThat(m.find()).isTrue();
        System.out.println("RebalanceLxcIT: move " + m.group(1) + " ms (start of " + c2 + " -> DNS switched and verified), "
                + client.requests.get() + " requests, " + client.failures.size() + " failed; " + r.out().strip());
        assertThat(f.audit()).anySatisfy(l -> assertThat(l).contains("\"service\":\"" + f.service + "\"", "\"standby\":\"" + c2 + "\""));

        // Back again: now vm2 is the one to unload, and c1 (stopped) is started there.
        VcrRun back = rebalance("--from", vm2, "--drain", "0s");
        assertThat(back.exit()).as(back.out() + back.err()).isZero();
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.lxcStateIn(lxcpath2, c2)).isEqualTo("STOPPED");
    }

    @Test
    void badInputIsOneLineAndChangesNothing() throws Exception {
        runbook(2);
        f.dnsSet(f.address(1));

        VcrRun notRecovered = rebalance("--from", vm1);
        assertThat(notRecovered.exit()).isEqualTo(17);
        assertThat(notRecovered.err()).isEqualTo("vcr: no recovered service runs on " + vm1
                + " (no runbook's record holds the address of a standby there); nothing moved\n");

        VcrRun unknown = rebalance("--from", "rb-nowhere");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("vcr: unknown recovery VM 'rb-nowhere'");

        VcrRun service = rebalance("--from", vm1, "--service", f.service);
        assertThat(service.exit()).isEqualTo(17);
        assertThat(service.err()).contains("its record holds the primary's " + f.address(1) + " (not recovered)");
        assertThat(f.dig()).containsExactly(f.address(1));
        assertThat(f.lxcStateIn(lxcpath2, c2)).isEqualTo("STOPPED");
    }

    @Test
    void aRebalanceWhileARecoveryOfTheServiceHoldsItsLockExitsInProgress() throws Exception {
        runbook(2);
        f.dnsSet(f.address(2));
        Path lockFile = f.state.resolve("locks").resolve(f.service + ".lock");
        Files.createDirectories(lockFile.getParent());
        // Another process holds the lock the way vcr recover does (a POSIX record lock on the same file).
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\nf=open(sys.argv[1],'w')\n"
                + "fcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\ntime.sleep(60)", lockFile.toString()).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("locked");

            VcrRun run = rebalance("--from", vm1);

            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(9);
            assertThat(run.out()).startsWith(f.service + ": not moved: a recovery or move of " + f.service + " is in progress");
            assertThat(f.dig()).containsExactly(f.address(2));
            assertThat(f.lxcState(c1)).isEqualTo("RUNNING");
            assertThat(f.lxcStateIn(lxcpath2, c2)).isEqualTo("STOPPED");
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
