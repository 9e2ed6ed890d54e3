package org.vcrecovery.drill;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleUnaryOperator;

/**
 * The pool drill's clients: HTTP GETs at a rate that follows a ramp (requests per second as a
 * function of seconds since the start), each to the next address of the RRset the clients last
 * resolved (round-robin, as resolvers hand out an RRset), bounded in time by the ramp's end. It
 * counts every request per address and every failed one (no answer, or not HTTP 200). Loopback
 * members only; one thread paces, a small pool sends.
 */
final class PoolLoad implements AutoCloseable {
    private final DoubleUnaryOperator rate;
    private final double seconds;
    private final int port;
    private final AtomicReference<List<String>> rrset;
    private final ExecutorService senders = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "pool-load");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final long t0 = System.nanoTime();
    private volatile boolean stopped;
    private Thread pacer;

    PoolLoad(DoubleUnaryOperator rate, double seconds, int port, AtomicReference<List<String>> rrset) {
        this.rate = rate;
        this.seconds = seconds;
        this.port = port;
        this.rrset = rrset;
    }

    double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    double rateNow() {
        return rate.applyAsDouble(elapsed());
    }

    void start() {
        pacer = new Thread(() -> {
            int next = 0;
            double due = 0;
            while (!stopped && elapsed() < seconds) {
                double now = elapsed();
                if (now < due) {
                    ListenerProcess.sleep(Math.max(1, (long) ((due - now) * 1000)));
                    continue;
                }
                List<String> addresses = rrset.get();
                if (!addresses.isEmpty()) {
                    String a = addresses.get(Math.floorMod(next++, addresses.size()));
                    senders.execute(() -> get(a));
                }
                due += 1.0 / Math.max(0.5, rate.applyAsDouble(now));
            }
        }, "pool-load-pacer");
        pacer.setDaemon(true);
        pacer.start();
    }

    boolean done() {
        return stopped || elapsed() >= seconds;
    }

    private void get(String address) {
        sent.incrementAndGet();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: pool\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            in.readAllBytes();
            if (!status.startsWith("HTTP/1.") || !status.endsWith("200")) throw new IOException("answered '" + status + "'");
            perAddress.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet();
        } catch (IOException e) {
            failed.incrementAndGet();
            lastFailure.set(address + ": " + e.getMessage());
        }
    }

    /** Requests answered per address since the last call, and resets the counts. */
    Map<String, Integer> drain() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (var e : perAddress.entrySet()) {
            int n = e.getValue().getAndSet(0);
            if (n > 0) out.put(e.getKey(), n);
        }
        return out;
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure.get();
    }

    @Override
    public void close() {
        stopped = true;
        senders.shutdown();
        try {
            senders.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
