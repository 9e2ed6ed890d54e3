package org.vcrecovery.listener.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vcrecovery.zabbix.sender.SenderValue;

class ZabbixTrapperTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static ZabbixTrapper trapper(Duration window) {
        return new ZabbixTrapper(List.of(new InetSocketAddress("127.0.0.1", 1)), Duration.ofSeconds(1), window);
    }

    private static List<SenderValue> values(String... keys) {
        return java.util.Arrays.stream(keys).map(k -> new SenderValue("h", k, "1")).toList();
    }

    @Test
    void theReplayHoldsWhatWasAcknowledgedInTheWindowBeforeTheLastAcknowledgementOldestFirst() {
        ZabbixTrapper t = trapper(Duration.ofSeconds(3));
        t.remember(values("a"), 0);
        t.remember(values("b", "c"), 2 * SECOND);
        t.remember(values("d"), 4 * SECOND);          // "a" is now 4 s older than the last ack

        assertThat(t.replay()).extracting(SenderValue::key).containsExactly("b", "c", "d");
        // measured from the last acknowledgement, not from now: a node that stayed silent for a
        // minute before the takeover still gets the last window of the one that died
        assertThat(t.replay()).extracting(SenderValue::key).containsExactly("b", "c", "d");
    }

    @Test
    void aStormKeepsAtMostTheCapWhateverTheWindow() {
        ZabbixTrapper t = trapper(Duration.ofSeconds(60));
        List<SenderValue> batch = java.util.Collections.nCopies(1000, new SenderValue("h", "k", "1"));
        for (int i = 0; i < 150; i++) t.remember(batch, i);

        assertThat(t.replay()).hasSizeLessThanOrEqualTo(ZabbixTrapper.MAX_KEPT).hasSizeGreaterThan(ZabbixTrapper.MAX_KEPT - 1000);
    }
}
