package org.vcrecovery.drill;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.RecordType;

/**
 * A client that follows DNS as a well-behaved one does (the rebalance drill's): it resolves the
 * name at the authoritative server, keeps the answer for the record's TTL, and requests the page
 * every {@code every} from the address it holds. Every request that does not get "200" is a
 * failure, kept with when it happened and why; {@link #switches} lists when it first was served
 * from each address.
 */
final class FollowingClient implements AutoCloseable {
    /** The first request served from {@code address}, at {@code epochNanos}. */
    record Switch(String address, long epochNanos) {}

    private final DnsUpdater dns;
    private final String name;
    private final int port;
    private final Duration ttl;
    private final Duration every;
    private final Thread thread;
    private volatile boolean running = true;
    final AtomicInteger requests = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final List<Switch> switches = Collections.synchronizedList(new ArrayList<>());

    FollowingClient(DnsUpdater dns, String name, int port, Duration ttl, Duration every) {
        this.dns = dns;
        this.name = name;
        this.port = port;
        this.ttl = ttl;
        this.every = every;
        this.thread = new Thread(this::loop, "following-client");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        String address = null;
        long resolvedAt = 0;
        while (running) {
            long now = System.nanoTime();
            try {
                if (address == null || now - resolvedAt >= ttl.toNanos()) {
                    List<String> a = dns.query(name, RecordType.A);
                    if (a.size() != 1) throw new IllegalStateException("DNS answered " + a);
                    address = a.get(0);
                    resolvedAt = now;
                }
                get(address);
                if (switches.isEmpty() || !switches.get(switches.size() - 1).address().equals(address)) {
                    java.time.Instant t = java.time.Instant.now();
                    switches.add(new Switch(address, t.getEpochSecond() * 1_000_000_000L + t.getNano()));
                }
            } catch (Exception e) {
                failures.add(java.time.Instant.now() + " " + address + ": " + e.getMessage());
            }
            requests.incrementAndGet();
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void get(String address) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            if (!head.matches("HTTP/1\\.[01] 200")) throw new IllegalStateException("answered '" + head + "'");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
