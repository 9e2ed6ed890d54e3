package org.vcrecovery.listener.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;
import org.vcrecovery.listener.spool.Spool;

class ShipperTest {
    @TempDir
    Path dir;
    final Stats stats = new Stats();
    final RecordingTrapper zabbix = new RecordingTrapper();
    Spool spool;
    Shipper shipper;
    Thread thread;

    void start(int maxBatch, Duration refusedRetry) throws Exception {
        spool = Spool.open(dir, 64 << 20, false, 65536, stats);
        shipper = new Shipper(spool, zabbix, stats, maxBatch, Duration.ofMillis(2), refusedRetry);
        shipper.firstRetry(Duration.ofMillis(20));
        thread = new Thread(shipper, "shipper-test");
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (shipper != null) {
            shipper.stop(Duration.ofSeconds(2));
            thread.join(5000);
            spool.close();
        }
    }

    static TrapperValue v(String key, int i) {
        return new TrapperValue("kvm1", key, Integer.toString(i), 1_700_000_000L, i);
    }

    List<TrapperValue> append(String key, int from, int to) throws Exception {
        List<TrapperValue> out = new ArrayList<>();
        CompletableFuture<Void> last = null;
        for (int i = from; i < to; i++) {
            out.add(v(key, i));
            last = spool.append(v(key, i));
        }
        last.get(5, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void everyValueArrivesInOrderInBatchesNoLargerThanTheMaximum() throws Exception {
        start(100, Duration.ofSeconds(10));
        List<TrapperValue> sent = append("vcr.vm.state[a]", 0, 5000);
        await().atMost(Duration.ofSeconds(10)).until(() -> zabbix.accepted().size() == 5000);
        assertThat(zabbix.accepted()).containsExactlyElementsOf(sent);
        assertThat(zabbix.maxBatch()).isLessThanOrEqualTo(100);
        assertThat(zabbix.batches.size()).isLessThan(5000 / 10); // batched, not one by one
        assertThat(stats.valuesSent.sum()).isEqualTo(5000);
    }

    @Test
    void whileZabbixIsDownValuesWaitInTheSpoolAndArriveInOrderAfterwards() throws Exception {
        start(50, Duration.ofSeconds(10));
        List<TrapperValue> sent = new ArrayList<>(append("vcr.vm.state[a]", 0, 10));
        await().until(() -> zabbix.accepted().size() == 10);
        zabbix.down = true;
        sent.addAll(append("vcr.vm.state[a]", 10, 500));
        await().until(() -> stats.valuesSpooled.sum() > 0);
        zabbix.down = false;
        await().atMost(Duration.ofSeconds(15)).until(() -> zabbix.accepted().size() == 500);
        assertThat(zabbix.accepted()).containsExactlyElementsOf(sent);
    }

    @Test
    void aRefusedValueIsRetriedAloneUntilTheItemExistsAndLaterValuesOfThatItemKeepTheirOrder() throws Exception {
        zabbix.existing = Set.of("vcr.vm.discovery", "vcr.vm.state[old]");
        start(100, Duration.ofSeconds(30));
        append("vcr.vm.state[new]", 0, 3);
        append("vcr.vm.state[old]", 0, 3);
        await().until(() -> zabbix.accepted().size() == 3); // old's values are not held up
        append("vcr.vm.state[new]", 3, 6);
        zabbix.allow("vcr.vm.state[new]");
        await().atMost(Duration.ofSeconds(10)).until(() -> zabbix.accepted().size() == 9);
        assertThat(zabbix.accepted().stream().filter(x -> x.key().equals("vcr.vm.state[new]")).map(TrapperValue::value))
                .containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(stats.valuesFailed.sum()).isZero();
        // Before the item existed, only single-value probes went out for it.
        assertThat(zabbix.batches.stream().filter(b -> b.size() > 1 && b.get(0).key().equals("vcr.vm.state[new]")
                && !zabbix.accepted().contains(b.get(0)))).isEmpty();
    }

    @Test
    void aValueRefusedForLongerThanTheRetryLimitIsGivenUpAndCounted() throws Exception {
        zabbix.existing = Set.of("vcr.vm.state[ok]");
        start(100, Duration.ofMillis(100));
        append("vcr.vm.state[never]", 0, 2);
        append("vcr.vm.state[ok]", 0, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.valuesFailed.sum() == 2);
        assertThat(zabbix.accepted()).containsExactly(v("vcr.vm.state[ok]", 0));
    }

    @Test
    void stopSendsWhatIsDurableBeforeReturning() throws Exception {
        start(100, Duration.ofSeconds(10));
        append("vcr.vm.state[a]", 0, 2000);
        shipper.stop(Duration.ofSeconds(5));
        thread.join(10_000);
        assertThat(zabbix.accepted()).hasSize(2000);
    }

    @Test
    void aVmValueStillRefusedAfterItsHostsDiscoveryWasAcceptedSendsThatDiscoveryAgain() throws Exception {
        zabbix.allow("vcr.vm.discovery"); // Zabbix takes the discovery but (config-cache race) creates no item from it
        start(10, Duration.ofSeconds(30));
        append("vcr.vm.discovery", 0, 1);
        append("vcr.vm.state[a]", 1, 2);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> zabbix.accepted().stream().filter(x -> x.key().equals("vcr.vm.discovery")).count() >= 2);
        TrapperValue again = zabbix.accepted().stream().filter(x -> x.key().equals("vcr.vm.discovery")).toList().get(1);
        assertThat(again.host()).isEqualTo("kvm1");
        assertThat(again.value()).isEqualTo("0");
        zabbix.allow("vcr.vm.state[a]"); // the item exists now
        await().atMost(Duration.ofSeconds(15)).until(() -> zabbix.accepted().stream().anyMatch(x -> x.key().equals("vcr.vm.state[a]")));
        assertThat(stats.valuesFailed.sum()).isZero();
    }
}
