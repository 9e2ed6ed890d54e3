package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Services for the pipeline tests: a random 127.x.y.0/24 net per test and one free port, where a
 * socket bound on {@code net + n} is a host whose service answers. Close it after each test.
 */
final class LoopbackServices implements AutoCloseable {
    private final String net = "127." + ThreadLocalRandom.current().nextInt(100, 250) + "."
            + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    final int port;
    private final List<ServerSocket> sockets = new ArrayList<>();

    LoopbackServices() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(net + "1"), 0));
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + net + "1", e);
        }
    }

    /** The address of host {@code n} of the net. */
    String host(int n) {
        return net + n;
    }

    /** Makes {@code address} answer on the port. */
    void serve(String address) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            sockets.add(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes {@code address} stop answering: its socket is closed (connections are refused). */
    void stop(String address) {
        for (ServerSocket s : sockets) {
            if (s.getInetAddress().getHostAddress().equals(address)) {
                try {
                    s.close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket s : sockets) s.close();
    }
}
