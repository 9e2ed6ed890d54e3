package org.vcrecovery.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A UDP relay on a loopback port in front of a DNS server (the sandbox's BIND), for tests that
 * act on the wire between a client and the server: messages pass byte for byte (TSIG stays
 * valid), each client address gets its own upstream socket, and every UPDATE (opcode 5) goes
 * through an {@link UpdateHook} first, on a thread of its own, which may run a fault, answer the
 * client itself and have the server's reply swallowed. Only UDP: vcr's updates fit in 512 bytes.
 * The chaos suite's DnsGate and the forged-reply tests of DNS updates (ForgingRelay) use it.
 */
public final class DnsRelay implements AutoCloseable {
    /** What happens to an UPDATE before it is forwarded. */
    @FunctionalInterface
    public interface UpdateHook {
        /**
         * Called with {@code update}, the UPDATE a client sent, before it goes to the server;
         * {@code toClient} sends a datagram to that client. Returns false to have the server's reply
         * to this UPDATE dropped (as if lost), true to relay it.
         */
        boolean before(byte[] update, Consumer<byte[]> toClient);
    }

    private static final int IDLE_MS = 15_000;
    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final UpdateHook hook;
    private final Map<SocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
    /** Per client, the ids of the UPDATEs whose reply is dropped. */
    private final Map<SocketAddress, Set<Integer>> dropped = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-relay");
        t.setDaemon(true);
        return t;
    });

    public DnsRelay(InetSocketAddress upstream, UpdateHook hook) throws SocketException {
        this.upstream = upstream;
        this.hook = hook;
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        pool.execute(this::relayIn);
    }

    /** Where clients send: 127.0.0.1 and the relay's port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), front.getLocalPort());
    }

    private void relayIn() {
        byte[] buf = new byte[65535];
        while (!front.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                front.receive(p);
                byte[] msg = Arrays.copyOf(p.getData(), p.getLength());
                SocketAddress client = p.getSocketAddress();
                boolean update = msg.length > 2 && ((msg[2] >> 3) & 0x0f) == 5;
                if (update) {
                    pool.execute(() -> {
                        if (!hook.before(msg, reply -> toClient(client, reply))) {
                            dropped.computeIfAbsent(client, c -> ConcurrentHashMap.newKeySet()).add(id(msg));
                        }
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

    private static int id(byte[] msg) {
        return ((msg[0] & 0xff) << 8) | (msg[1] & 0xff);
    }

    private void toClient(SocketAddress client, byte[] msg) {
        try {
            front.send(new DatagramPacket(msg, msg.length, client));
        } catch (IOException e) {
            // a lost datagram, as on a real network
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
                Set<Integer> drop = dropped.get(client);
                if (p.getLength() > 2 && drop != null && drop.remove(id(p.getData()))) continue;
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
