package org.vcrecovery.chaos;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicReference;
import org.vcrecovery.relay.DnsRelay;

/**
 * A relay between vcr and BIND ({@link DnsRelay}; the runbook names it as the DNS server), so a
 * fault can act at the exact moment vcr sends its DNS UPDATE: after the standby passed its check
 * and before the switch. A hook set with {@link #onNextUpdate} runs once, on the first UPDATE
 * after it was set, before that UPDATE is forwarded.
 */
final class DnsGate implements AutoCloseable {
    private final AtomicReference<Runnable> hook = new AtomicReference<>();
    private final DnsRelay relay;

    DnsGate(InetSocketAddress upstream) throws SocketException {
        this.relay = new DnsRelay(upstream, (update, toClient) -> {
            Runnable h = hook.getAndSet(null);
            if (h != null) h.run();
            return true;
        });
    }

    /** "127.0.0.1:PORT", for the runbook. */
    String address() {
        return "127.0.0.1:" + relay.address().getPort();
    }

    void onNextUpdate(Runnable r) {
        hook.set(r);
    }

    /** True when the hook set last has not run yet. */
    boolean armed() {
        return hook.get() != null;
    }

    void disarm() {
        hook.set(null);
    }

    @Override
    public void close() {
        relay.close();
    }
}
