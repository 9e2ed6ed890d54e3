package org.vcrecovery.vcr.check;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real TCP server on an ephemeral loopback port that plays one scripted behaviour per connection. */
final class FakePeer implements AutoCloseable {

    /** What the peer does with one accepted connection; the connection number starts at 1. */
    interface Behaviour {
        void serve(Socket s, int connection) throws IOException;
    }

    /** 127.0.0.1 without a host name attached, as a user would pass it. */
    static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final StringBuffer received = new StringBuffer();

    FakePeer(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    int n = connections.incrementAndGet();
                    Thread h = new Thread(() -> {
                        try {
                            behaviour.serve(s, n);
                        } catch (IOException ignored) {
                            // the checker hung up: fine
                        }
                    }, "fake-peer-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-peer");
        t.setDaemon(true);
        t.start();
    }

    static Behaviour says(String text) {
        return (s, n) -> write(s, text);
    }

    static Behaviour saysAndCloses(String text) {
        return (s, n) -> {
            write(s, text);
            s.close();
        };
    }

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, server.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }

    /** A loopback port with nothing listening (bound, then released). */
    static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(LOOPBACK, s.getLocalPort());
        }
    }
}
