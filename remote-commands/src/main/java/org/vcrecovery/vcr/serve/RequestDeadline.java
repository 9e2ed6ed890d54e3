package org.vcrecovery.vcr.serve;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input with one deadline for the whole request, not for each read: a caller that
 * trickles a byte now and then is cut off when the request is not complete in time, so a local
 * user cannot hold every connection slot with slow requests. Each read waits at most what is
 * left; past the deadline a read throws SocketTimeoutException naming the limit.
 */
final class RequestDeadline extends FilterInputStream {
    private final Socket socket;
    private final Duration limit;
    private final long deadlineNanos;

    RequestDeadline(Socket socket, Duration limit) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    private void arm() throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw late();
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    private SocketTimeoutException late() {
        return new SocketTimeoutException("request not complete within " + limit.toMillis() + " ms");
    }

    @Override
    public int read() throws IOException {
        arm();
        try {
            return super.read();
        } catch (SocketTimeoutException e) {
            throw late();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        try {
            return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw late();
        }
    }
}
