package org.vcrecovery.listener.ship;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vcrecovery.listener.TrapperValue;

/**
 * A Zabbix stand-in: records every batch, accepts values only for items in {@link #existing}
 * (all items when it is null), and fails with a ConnectException while {@link #down} is set.
 */
final class RecordingTrapper implements Trapper {
    final List<List<TrapperValue>> batches = new ArrayList<>();
    final List<TrapperValue> accepted = new ArrayList<>();
    volatile Set<String> existing;
    volatile boolean down;

    @Override
    public synchronized Reply send(List<TrapperValue> values) throws IOException {
        if (down) throw new ConnectException("Connection refused");
        batches.add(List.copyOf(values));
        int ok = 0;
        for (TrapperValue v : values) {
            Set<String> e = existing;
            if (e == null || e.contains(v.key())) {
                accepted.add(v);
                ok++;
            }
        }
        return new Reply(ok, values.size() - ok);
    }

    synchronized List<TrapperValue> accepted() {
        return List.copyOf(accepted);
    }

    synchronized int maxBatch() {
        return batches.stream().mapToInt(List::size).max().orElse(0);
    }

    void allow(String... keys) {
        Set<String> s = existing == null ? new HashSet<>() : new HashSet<>(existing);
        s.addAll(List.of(keys));
        existing = s;
    }
}
