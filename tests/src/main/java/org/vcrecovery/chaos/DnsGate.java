package org.vcrecovery.chaos;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UDP relay between vcr and BIND (the runbook names it as the DNS server), so a fault can act
 * at the exact moment vcr sends its DNS UPDATE: after the standby passed its check and before
 * the switch. Messages pass byte for byte (TSIG stays valid); each client address gets its own
 * upstream socket. A hook set with {@link #onNextUpdate} runs once, on the first UPDATE (opcode
 * 5) after it was set, before that UPDATE is forwarded. Only UDP: vcr's updates fit in 512 bytes.
 */
final class DnsGate implements AutoCloseable {
    private static final int IDLE_MS = 15_000;
    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final Map<SocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-gate");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Runnable> hook = new AtomicReference<>();

    DnsGate(InetSocketAddress upstream) throws SocketException {
        this.upstream = upstream;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        pool.execute(this::relayIn);
    }

    /** "127.0.0.1:PORT", for the runbook. */
    String address() {
        return "127.0.0.1:" + front.getLocalPort();
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

    private void relayIn() {
        byte[] buf = new byte[65535];
        while (!front.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                front.receive(p);
                byte[] msg = java.util.Arrays.copyOf(p.getData(), p.getLength());
                SocketAddress client = p.getSocketAddress();
                boolean update = msg.length > 2 && ((msg[2] >> 3) & 0x0f) == 5;
                Runnable h = update ? hook.getAndSet(null) : null;
                if (h != null) {
                    pool.execute(() -> {
                        h.run();
                        forward(client, msg);
                    });
                } else {
                    forward(client, msg);
                }
            } catch (IOException e) {
                // closed, or one bad datagram: go on while open
            }
        }
    }

    private void forward(SocketAddress client, byte[] msg) {
        try {
            DatagramSocket back = backs.computeIfAbsent(client, c -> open(c));
            back.send(new DatagramPacket(msg, msg.length, upstream));
        } catch (IOException | RuntimeException e) {
            // the client's retry or timeout handles a lost datagram, as on a real network
        }
    }

    private DatagramSocket open(SocketAddress client) {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.setSoTimeout(IDLE_MS);
            pool.execute(() -> relayOut(s, client));
            return s;
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private void relayOut(DatagramSocket back, SocketAddress client) {
        byte[] buf = new byte[65535];
        while (!back.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                back.receive(p);
                front.send(new DatagramPacket(p.getData(), p.getLength(), client));
            } catch (java.net.SocketTimeoutException e) {
                // the client's exchange is long over: free the socket and its thread
                backs.remove(client, back);
                back.close();
            } catch (IOException e) {
                // closed: stop
            }
        }
    }

    @Override
    public void close() {
        front.close();
        backs.values().forEach(DatagramSocket::close);
        pool.shutdownNow();
    }
}
