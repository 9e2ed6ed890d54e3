package org.vcrecovery.zabbix.sender;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake Zabbix trapper on an ephemeral loopback port: records each request's JSON and answers
 * with raw bytes chosen by a script (by default a well-formed success for every value).
 */
final class RecordingTrapper implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private volatile Function<String, byte[]> reply = RecordingTrapper::success;
    private volatile boolean silent;

    RecordingTrapper() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "recording-trapper");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Answers every request with these raw bytes (no framing added). */
    RecordingTrapper replyRaw(byte[] bytes) {
        reply = request -> bytes;
        return this;
    }

    /** Answers every request with this JSON in a ZBXD frame. */
    RecordingTrapper replyJson(String json) {
        reply = request -> frame(json.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Reads requests but never answers. */
    RecordingTrapper silent() {
        silent = true;
        return this;
    }

    /** The next request's JSON, waiting at most 5 s. */
    String takeRequest() throws InterruptedException {
        String r = requests.poll(5, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no request reached the trapper within 5 s");
        return r;
    }

    int requestCount() {
        return requests.size();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                String request = new String(ZbxdProtocol.readFrame(in, 64 << 20), StandardCharsets.UTF_8);
                requests.add(request);
                if (silent) {
                    in.read(); // until the client gives up
                    continue;
                }
                OutputStream out = s.getOutputStream();
                out.write(reply.apply(request));
                out.flush();
            } catch (IOException e) {
                // the client went away or the test closed the server
            }
        }
    }

    static byte[] success(String request) {
        int n = request.split("\"host\"", -1).length - 1;
        return frame(("{\"response\":\"success\",\"info\":\"processed: " + n + "; failed: 0; total: " + n
                + "; seconds spent: 0.000055\"}").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] frame(byte[] data) {
        byte[] f = new byte[ZbxdProtocol.HEADER_LENGTH + data.length];
        ZbxdProtocol.putHeader(f, data.length);
        System.arraycopy(data, 0, f, ZbxdProtocol.HEADER_LENGTH, data.length);
        return f;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
