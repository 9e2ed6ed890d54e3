package org.vcrecovery.listener.ship;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.listener.TrapperValue;
import org.vcrecovery.zabbix.sender.SenderResult;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * {@link Trapper} over the zabbix-client {@link ZabbixSender}: servers tried in order
 * (failover), one connection per batch. A {@code "response":"failed"} reply counts every value
 * as refused.
 */
public final class ZabbixTrapper implements Trapper {
    private final ZabbixSender sender;

    public ZabbixTrapper(List<InetSocketAddress> servers, Duration timeout) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress a : servers) resolved.add(new InetSocketAddress(a.getHostString(), a.getPort()));
        this.sender = ZabbixSender.builder().servers(resolved).connectTimeout(timeout).readTimeout(timeout).build();
    }

    @Override
    public Reply send(List<TrapperValue> values) throws IOException {
        List<SenderValue> out = new ArrayList<>(values.size());
        for (TrapperValue v : values) out.add(new SenderValue(v.host(), v.key(), v.value(), v.clock(), v.ns()));
        SenderResult r = sender.send(out);
        if (!r.success()) return new Reply(0, values.size());
        return new Reply(r.processed(), r.failed());
    }
}
