package org.vcrecovery.listener.ship;

import java.io.IOException;
import java.util.List;
import org.vcrecovery.listener.TrapperValue;

/**
 * Where values go: a Zabbix server or proxy trapper speaking the sender protocol. The only
 * seam between the pipeline and the network, so tests can use a recording double.
 */
public interface Trapper extends AutoCloseable {
    /**
     * Sends one batch in order. Transport trouble (refused, timeout, garbled reply) is an
     * {@link IOException}: nothing is assumed delivered. An answer from Zabbix, even one that
     * refuses some values (no such item, wrong type), is a {@link Reply}.
     */
    Reply send(List<TrapperValue> values) throws IOException;

    @Override
    default void close() {
    }

    /** Zabbix's answer: how many values it processed and how many it refused. */
    record Reply(int processed, int failed) {
        public Reply {
            if (processed < 0) throw new IllegalArgumentException("processed < 0");
            if (failed < 0) throw new IllegalArgumentException("failed < 0");
        }
    }
}
