package org.vcrecovery.listener.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.InflaterInputStream;

/**
 * A Zabbix trapper stand-in for the benchmark: speaks the sender protocol (ZBXD, optional zlib),
 * accepts every value, and hands each one with its arrival time to a {@link Sink}. Loopback
 * only, ephemeral port.
 */
final class FakeTrapper implements AutoCloseable {
    interface Sink {
        void value(String host, String key, String value, long arrivedNanos);
    }

    private final ServerSocket server;
    private final Sink sink;
    private final JsonFactory json = new JsonFactory();

    FakeTrapper(Sink sink) throws IOException {
        this.sink = sink;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-trapper");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                serve(server.accept()); // senders send one batch at a time: no thread per connection
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            DataInputStream d = new DataInputStream(in);
            byte[] head = new byte[5];
            d.readFully(head);
            if (head[0] != 'Z' || head[1] != 'B' || head[2] != 'X' || head[3] != 'D') return;
            int flags = head[4];
            boolean large = (flags & 0x04) != 0;
            byte[] lens = new byte[large ? 16 : 8];
            d.readFully(lens);
            ByteBuffer lb = ByteBuffer.wrap(lens).order(ByteOrder.LITTLE_ENDIAN);
            long len = large ? lb.getLong() : lb.getInt() & 0xffffffffL;
            byte[] body = new byte[(int) len];
            d.readFully(body);
            long arrived = System.nanoTime();
            if ((flags & 0x02) != 0) body = new InflaterInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            int n = parse(body, arrived);
            byte[] reply = ("{\"response\":\"success\",\"info\":\"processed: " + n + "; failed: 0; total: " + n
                    + "; seconds spent: 0.000010\"}").getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(new byte[] {'Z', 'B', 'X', 'D', 1});
            frame.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(reply.length).putInt(0).array());
            frame.write(reply);
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            // a client that hung up
        }
    }

    private int parse(byte[] body, long arrived) throws IOException {
        int n = 0;
        try (JsonParser p = json.createParser(body)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "data".equals(p.currentName())) {
                    p.nextToken(); // START_ARRAY
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String host = null;
                        String key = null;
                        String value = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            switch (f) {
                                case "host" -> host = p.getText();
                                case "key" -> key = p.getText();
                                case "value" -> value = p.getText();
                                default -> p.skipChildren();
                            }
                        }
                        sink.value(host, key, value, arrived);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
