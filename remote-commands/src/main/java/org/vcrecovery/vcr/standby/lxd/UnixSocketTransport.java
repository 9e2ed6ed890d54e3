package org.vcrecovery.vcr.standby.lxd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@link LxdTransport} over LXD's unix socket: one minimal HTTP/1.1 exchange per connection
 * ({@code Connection: close}), answers read to EOF with a deadline, at most 8 MiB, chunked
 * bodies decoded.
 */
final class UnixSocketTransport implements LxdTransport {
    static final int MAX_RESPONSE = 8 * 1024 * 1024;

    private final Path socket;

    UnixSocketTransport(Path socket) {
        this.socket = socket;
    }

    @Override
    public Response exchange(String method, String pathAndQuery, String jsonBody, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: lxd\r\nAccept: application/json\r\nConnection: close\r\nUser-Agent: vcr\r\n");
        if (jsonBody != null) head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector sel = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.toString().getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            ch.register(sel, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(sel, end, timeout);
                ch.write(out);
            }
            ch.keyFor(sel).interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            while (true) {
                await(sel, end, timeout);
                int n = ch.read(buf);
                if (n < 0) break;
                in.write(buf.array(), 0, buf.position());
                buf.clear();
                if (in.size() > MAX_RESPONSE) throw new IOException("LXD answer larger than " + MAX_RESPONSE + " bytes");
            }
            return parse(in.toByteArray());
        }
    }

    private static void await(Selector sel, long end, Duration timeout) throws IOException {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0 || sel.select(left) == 0 && System.nanoTime() >= end) {
            throw new HttpTimeoutException("no answer from LXD within " + timeout.toMillis() + " ms");
        }
        sel.selectedKeys().clear();
    }

    /** Parses a whole HTTP/1.1 response (status line, headers, body by length, chunks or EOF). */
    static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0) {
            throw new IOException("not an HTTP answer from LXD: '" + text.substring(0, Math.min(60, text.length()))
                    .replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (RuntimeException e) {
            throw new IOException("bad HTTP status line from LXD: '" + lines[0] + "'");
        }
        boolean chunked = false;
        int length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) continue;
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) chunked = true;
            if (name.equals("content-length")) length = Integer.parseInt(value);
        }
        int start = headEnd + 4;
        byte[] body;
        if (chunked) {
            body = dechunk(raw, start);
        } else {
            int n = length >= 0 ? Math.min(length, raw.length - start) : raw.length - start;
            body = new byte[n];
            System.arraycopy(raw, start, body, 0, n);
        }
        return new Response(code, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] raw, int pos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (pos < raw.length) {
            int eol = indexOfCrlf(raw, pos);
            if (eol < 0) throw new IOException("truncated chunked answer from LXD");
            String sizeLine = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            pos = eol + 2;
            if (size == 0) break;
            if (pos + size > raw.length) throw new IOException("truncated chunk in LXD answer");
            out.write(raw, pos, size);
            pos += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    @Override
    public String describe() {
        return "unix:" + socket;
    }

    @Override
    public void close() {
        // One connection per exchange: nothing held.
    }
}
