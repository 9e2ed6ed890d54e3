package org.vcrecovery.vcr.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.ServiceLock;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import org.vcrecovery.vcr.runbook.PoolRunbookReader;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * Grow and shrink against a fake DNS server and a fake backend, with real sockets on loopback
 * addresses for the members' checks (a bound socket is a member that answers), as RecoveryTest.
 */
class PoolChangeTest {
    @TempDir
    Path state;

    final String net = "127." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    final int port = freePort();
    final Map<String, ServerSocket> up = Collections.synchronizedMap(new HashMap<>());
    final FakeBackend lxc = new FakeBackend();
    final ExecutorService exec = Executors.newCachedThreadPool();
    FakeDns dns;

    @AfterEach
    void close() throws IOException {
        exec.shutdownNow();
        for (ServerSocket s : up.values()) s.close();
    }

    String addr(int n) {
        return net + n;
    }

    PoolRunbook pool(int members, int minActive) throws Exception {
        StringBuilder y = new StringBuilder("""
                kind: pool
                service: web-pool
                dns:
                  server: 127.0.0.1:5353
                  tsig: none
                  zone: example.test
                  name: pool
                checks:
                  - protocol: tcp
                    port: %d
                    timeout: 200ms
                limits:
                  check-timeout: 500ms
                  start-timeout: 2s
                pool:
                  min-active: %d
                members:
                """.formatted(port, minActive));
        for (int i = 1; i <= members; i++) y.append("  - name: p").append(i).append("\n    backend: lxc\n    address: ").append(addr(i)).append('\n');
        return PoolRunbookReader.read(new StringReader(y.toString()), Path.of("web-pool.yaml"));
    }

    void serve(int n) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(addr(n)), port));
            up.put("p" + n, s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    PoolChange change(PoolRunbook p) {
        return new PoolChange(p, dns, m -> lxc, new ServiceChecker(), exec);
    }

    @Test
    void growPromotesTheFirstStandbyAndStartsTheFirstIdleAsTheNextStandby() throws Exception {
        PoolRunbook p = pool(4, 1);
        serve(1);
        serve(2);
        lxc.onStart.put("p3", () -> serve(3));
        dns = new FakeDns(addr(1));
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        assertThat(dns.values).containsExactly(addr(1), addr(2));
        assertThat(dns.updates).containsExactly(List.of(addr(1)) + "->" + List.of(addr(1), addr(2)));
        assertThat(lxc.calls).containsExactly("start p3");
        assertThat(r.headline()).isEqualTo("promoted p2 (" + addr(2) + "): 2 active; p3 started as the next standby");
        assertThat(r.stepNamed("verify")).get().matches(PoolReport.Step::ok);
        assertThat(r.toJson()).contains("\"rrset_after\":[\"" + addr(1) + "\",\"" + addr(2) + "\"]");
    }

    @Test
    void growStartsTheStandbyInParallelWithTheDnsChangeNotAfterIt() throws Exception {
        PoolRunbook p = pool(3, 1);
        serve(1);
        serve(2);
        lxc.onStart.put("p3", () -> {
            sleep(300);
            serve(3);
        });
        dns = new FakeDns(addr(1));
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        PoolReport.Step start = r.stepNamed("start p3").orElseThrow();
        PoolReport.Step verify = r.stepNamed("verify").orElseThrow();
        assertThat(verify.at() + verify.millis()).as("DNS verified while p3 was still starting").isLessThan(start.at() + start.millis());
    }

    @Test
    void growWithEveryMemberActiveIsThePoolLimitAndSendsNoUpdate() throws Exception {
        PoolRunbook p = pool(2, 1);
        serve(1);
        serve(2);
        dns = new FakeDns(addr(1), addr(2));
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.POOL_LIMIT);
        assertThat(r.headline()).isEqualTo("no standby or idle member left: all 2 members are active: nothing changed");
        assertThat(dns.updates).isEmpty();
        assertThat(lxc.calls).isEmpty();
    }

    @Test
    void growNeverAddsAMemberThatDoesNotAnswer() throws Exception {
        PoolRunbook p = pool(2, 1);
        serve(1); // p2 stays silent even once started
        dns = new FakeDns(addr(1));
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.SERVICE_DOWN);
        assertThat(r.headline()).startsWith("no standby, and idle p2 did not come up");
        assertThat(dns.updates).isEmpty();
        assertThat(dns.values).containsExactly(addr(1));
    }

    @Test
    void growWhoseRrsetChangedUnderItChangesNothing() throws Exception {
        PoolRunbook p = pool(3, 1);
        serve(1);
        serve(2);
        dns = new FakeDns(addr(1));
        dns.changeBeforeUpdate = List.of(addr(1), "127.0.0.99");
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.CONFLICT);
        assertThat(dns.values).containsExactly(addr(1), "127.0.0.99");
    }

    @Test
    void growWithDnsSilentIsUnreachableAndTouchesNoMember() throws Exception {
        PoolRunbook p = pool(3, 1);
        dns = new FakeDns(addr(1));
        dns.readFailure = new IOException("timeout");
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(lxc.calls).isEmpty();
    }

    @Test
    void shrinkTakesTheLastActiveOutKeepsItAsTheStandbyAndStopsTheOldStandby() throws Exception {
        PoolRunbook p = pool(4, 1);
        serve(1);
        serve(2);
        serve(3);
        dns = new FakeDns(addr(1), addr(2));
        PoolReport r = change(p).shrink(new PoolReport("web-pool", "shrink"));
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        assertThat(dns.values).containsExactly(addr(1));
        assertThat(lxc.calls).containsExactly("stop p3");
        assertThat(r.headline()).isEqualTo("removed p2 (" + addr(2) + "): 1 active; p2 is the standby; stopped p3");
    }

    @Test
    void shrinkAtTheMinimumIsThePoolLimitAndSendsNoUpdate() throws Exception {
        PoolRunbook p = pool(3, 2);
        serve(1);
        serve(2);
        dns = new FakeDns(addr(1), addr(2));
        PoolReport r = change(p).shrink(new PoolReport("web-pool", "shrink"));
        assertThat(r.code()).isEqualTo(ExitCode.POOL_LIMIT);
        assertThat(r.headline()).isEqualTo("2 active, the minimum is 2: nothing changed");
        assertThat(dns.updates).isEmpty();
    }

    @Test
    void foreignAddressesInTheRrsetAreKept() throws Exception {
        PoolRunbook p = pool(3, 1);
        serve(1);
        serve(2);
        dns = new FakeDns(addr(1), "127.0.0.99");
        PoolReport r = change(p).grow(new PoolReport("web-pool", "grow"));
        assertThat(r.code()).isEqualTo(ExitCode.OK);
        assertThat(dns.values).containsExactlyInAnyOrder(addr(1), "127.0.0.99", addr(2));
    }

    VcrConfig config() {
        return new VcrConfig(null, state, state, Duration.ofMinutes(10), null);
    }

    @Test
    void automaticRunInsideMinIntervalIsThePoolLimitButARunByHandIsNot() throws Exception {
        PoolRunbook p = pool(3, 1);
        Files.createDirectories(state.resolve("pool"));
        Files.writeString(state.resolve("pool/web-pool.changed"), System.currentTimeMillis() - 5000 + "\n");
        PoolReport r = PoolRun.run(config(), p, "grow", true, null);
        assertThat(r.code()).isEqualTo(ExitCode.POOL_LIMIT);
        assertThat(r.headline()).startsWith("the last change was 5 s ago, min-interval is 60 s");
        assertThat(Files.readString(state.resolve("audit.jsonl"))).contains("\"result\":\"POOL_LIMIT\"");
        PoolReport byHand = PoolRun.run(config(), p, "grow", false, null);
        assertThat(byHand.code()).as("by hand: past min-interval, on to DNS (nothing listens on 5353)").isNotEqualTo(ExitCode.POOL_LIMIT);
    }

    @Test
    void killSwitchHoldsAutomaticRuns() throws Exception {
        PoolRunbook p = pool(3, 1);
        Files.writeString(state.resolve("disabled"), "maintenance window\n");
        assertThat(PoolRun.run(config(), p, "grow", true, null).headline()).contains("maintenance window");
        assertThat(PoolRun.run(config(), p, "grow", true, null).code()).isEqualTo(ExitCode.HELD);
        Files.delete(state.resolve("disabled"));
        assertThat(PoolRun.run(config(), p, "shrink", true, "0").code()).as("{$VCR.AUTO}=0").isEqualTo(ExitCode.HELD);
    }

    @Test
    void aSecondChangeOfTheSamePoolWaitsForNoneAndChangesNothing() throws Exception {
        PoolRunbook p = pool(3, 1);
        try (ServiceLock held = ServiceLock.tryAcquire(state, "pool-web-pool").orElseThrow()) {
            PoolReport r = PoolRun.run(config(), p, "grow", false, null);
            assertThat(r.code()).isEqualTo(ExitCode.IN_PROGRESS);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RRset in memory, compare-and-swap as BIND does it. */
    static final class FakeDns implements PoolDns {
        volatile List<String> values;
        IOException readFailure;
        List<String> changeBeforeUpdate;
        final List<String> updates = Collections.synchronizedList(new ArrayList<>());

        FakeDns(String... values) {
            this.values = List.of(values);
        }

        @Override
        public List<String> current() throws IOException {
            if (readFailure != null) throw readFailure;
            return values;
        }

        @Override
        public synchronized UpdateResult set(List<String> from, List<String> to) {
            if (changeBeforeUpdate != null) values = changeBeforeUpdate;
            updates.add(from + "->" + to);
            DnsChange c = new DnsChange("example.test", "pool", org.vcrecovery.dns.RecordType.A, to, 30, null);
            if (!Set.copyOf(values).equals(Set.copyOf(from))) return new UpdateResult(c, Outcome.CONFLICT, "holds " + values, 1, false, Duration.ZERO);
            values = List.copyOf(to);
            return new UpdateResult(c, Outcome.APPLIED, "applied", 1, false, Duration.ZERO);
        }

        @Override
        public VerifyResult verify(DnsChange change, Duration within) {
            boolean ok = Set.copyOf(values).equals(Set.copyOf(change.values()));
            return new VerifyResult(ok, values, 1, Duration.ZERO, ok ? "verified" : "still " + values);
        }
    }

    /** Records start and stop; a start runs the test's hook for that target (which may bind its socket). */
    static final class FakeBackend implements StandbyBackend {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Runnable> onStart = new HashMap<>();

        @Override
        public String name() {
            return "lxc";
        }

        @Override
        public StandbyState status(String target) {
            return StandbyState.UNKNOWN;
        }

        @Override
        public void start(String target, Duration timeout) {
            calls.add("start " + target);
            onStart.getOrDefault(target, () -> { }).run();
        }

        @Override
        public void stop(String target, Duration timeout) {
            calls.add("stop " + target);
        }

        @Override
        public Optional<String> address(String target) {
            return Optional.empty();
        }

        @Override
        public List<StandbyInfo> list() {
            return List.of();
        }

        @Override
        public void close() {}
    }
}
