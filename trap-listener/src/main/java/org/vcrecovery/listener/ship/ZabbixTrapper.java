package org.vcrecovery.listener.ship;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.vcrecovery.listener.ListenerConfig;
import org.vcrecovery.listener.TrapperValue;
import org.vcrecovery.zabbix.sender.SenderResult;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * {@link Trapper} over the zabbix-client {@link ZabbixSender}: servers tried in order
 * (failover), one connection per batch. A {@code "response":"failed"} reply counts every value
 * as refused.
 *
 * <p>It keeps the values acknowledged in the last {@code resendWindow} before the latest
 * acknowledgement, and when a batch goes to another server than the previous one (an HA node
 * taking over from one that died), that server gets them again first: the dead node may have
 * acknowledged them without writing them to the database yet (it writes its history cache about
 * once a second). Zabbix keeps one row per item and clock+ns, so values the old node did write
 * are not doubled. A zero window turns this off.
 */
public final class ZabbixTrapper implements Trapper {
    /** Values kept for a replay at most, whatever the window: memory stays bounded under a storm. */
    static final int MAX_KEPT = 100_000;

    private final ZabbixSender sender;
    private final long windowNanos;
    private final Deque<Acked> recent = new ArrayDeque<>();
    private int kept;

    private record Acked(long atNanos, List<SenderValue> values) {
    }

    public ZabbixTrapper(List<InetSocketAddress> servers, Duration timeout, Duration resendWindow) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress a : servers) resolved.add(new InetSocketAddress(a.getHostString(), a.getPort()));
        this.sender = ZabbixSender.builder().servers(resolved).connectTimeout(timeout).readTimeout(timeout).build();
        this.windowNanos = resendWindow.toNanos();
    }

    /** The trapper the configuration describes: its servers, timeout and resend window. */
    public static ZabbixTrapper of(ListenerConfig cfg) {
        return new ZabbixTrapper(cfg.zabbixServers(), cfg.zabbixTimeout(), cfg.zabbixResendWindow());
    }

    /** Called by one shipper thread only. */
    @Override
    public Reply send(List<TrapperValue> values) throws IOException {
        List<SenderValue> out = new ArrayList<>(values.size());
        for (TrapperValue v : values) out.add(new SenderValue(v.host(), v.key(), v.value(), v.clock(), v.ns()));
        SenderResult r = sender.send(out, windowNanos > 0 ? this::replay : null);
        if (!r.success()) return new Reply(0, values.size());
        if (windowNanos > 0) remember(out, System.nanoTime());
        return new Reply(r.processed(), r.failed());
    }

    /**
     * What was acknowledged in the window before the latest acknowledgement, oldest first (kept
     * after a replay too: a second switch soon after hands them on again, and Zabbix drops the doubles).
     */
    List<SenderValue> replay() {
        List<SenderValue> all = new ArrayList<>(kept);
        for (Acked a : recent) all.addAll(a.values());
        return all;
    }

    void remember(List<SenderValue> values, long now) {
        recent.addLast(new Acked(now, values));
        kept += values.size();
        while (!recent.isEmpty() && (now - recent.peekFirst().atNanos() > windowNanos || kept > MAX_KEPT)) {
            kept -= recent.removeFirst().values().size();
        }
    }
}
