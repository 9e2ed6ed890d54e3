package org.vcrecovery.zabbix.sender;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches of values to Zabbix trapper items over the sender protocol
 * ({@code {"request":"sender data","data":[...]}} in a {@code ZBXD} frame), one connection per batch.
 *
 * <p>Servers are tried in order (HA nodes or proxies), starting from the last one that answered:
 * on refusal, timeout or a lost connection the next one is tried; when none answers,
 * {@link #send} throws an {@link IOException} listing each server's failure. Delivery is
 * at-least-once: if a server stored the batch but its reply was lost, the next server gets it too.
 * A reply with failed values, or {@code "response":"failed"}, is a normal {@link SenderResult}.
 * A reply that is not a sender reply throws {@link SenderProtocolException} without trying other
 * servers. Thread-safe: concurrent sends use separate connections.
 *
 * <p><b>Server switches.</b> A server acknowledges a value once it is in its history cache, and
 * writes the cache to the database about once a second: an HA node killed in between takes those
 * values with it. {@link #send(List, Supplier)} therefore hands the new server, before the batch,
 * what the caller kept of the values the previous server acknowledged last ({@code replay}) when
 * the batch goes to another server than the previous one did. Zabbix 6.0+ stores history under
 * the primary key (item, clock, ns), so a value the old node did write is not stored twice.
 */
public final class ZabbixSender {
    private static final Logger log = LoggerFactory.getLogger(ZabbixSender.class);

    private final List<InetSocketAddress> servers;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final int maxReplyBytes;
    private final JsonFactory json = new JsonFactory();
    private final AtomicInteger preferred = new AtomicInteger();
    /** The index of the server that answered the last batch; -1 before the first. */
    private final AtomicInteger answered = new AtomicInteger(-1);

    private ZabbixSender(Builder b) {
        this.servers = List.copyOf(b.servers);
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.readTimeoutMillis = b.readTimeoutMillis;
        this.maxReplyBytes = b.maxReplyBytes;
    }

    /** A sender for one server with default timeouts (connect 3 s, read 10 s). */
    public static ZabbixSender of(InetSocketAddress server) {
        return builder().server(server).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The servers, in configured order. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * Sends {@code values} as one batch over one connection and returns the server's count.
     *
     * @throws IOException if no server could be reached or answered in time (each failure attached
     *                     as suppressed), or {@link SenderProtocolException} if a server answered
     *                     with something that is not a sender reply
     */
    public SenderResult send(List<SenderValue> values) throws IOException {
        return send(values, null);
    }

    /**
     * Like {@link #send(List)}; when the batch goes to another server than the one that answered
     * the previous batch (an HA takeover, a proxy replaced), first sends that server
     * {@code replay.get()} (if not empty) on its own connection, whose counts are not reported: the
     * values the caller knows the previous server acknowledged recently. A server that fails the
     * replay is skipped like one that fails the batch.
     */
    public SenderResult send(List<SenderValue> values, Supplier<List<SenderValue>> replay) throws IOException {
        Frame frame = encode(values);
        int start = preferred.get();
        List<String> failures = new ArrayList<>(servers.size());
        IOException first = null;
        for (int i = 0; i < servers.size(); i++) {
            int index = (start + i) % servers.size();
            InetSocketAddress server = servers.get(index);
            try {
                int before = answered.get();
                if (replay != null && before >= 0 && before != index) {
                    List<SenderValue> again = replay.get();
                    if (!again.isEmpty()) {
                        exchange(server, encode(again), again.size());
                        log.info("sent {} again to {}: the values {} acknowledged last", again.size(), name(server), name(servers.get(before)));
                    }
                }
                SenderResult result = exchange(server, frame, values.size());
                if (index != start) preferred.set(index);
                answered.set(index);
                return result;
            } catch (SenderProtocolException e) {
                throw e;
            } catch (IOException e) {
                String why = name(server) + ": " + describe(e);
                failures.add(why);
                if (servers.size() > 1) log.warn("Zabbix trapper {} failed, trying the next server", why);
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        IOException all = new IOException("no Zabbix server accepted the batch of " + values.size()
                + " values: " + String.join("; ", failures));
        all.initCause(first);
        throw all;
    }

    private static String name(InetSocketAddress server) {
        return server.getHostString() + ":" + server.getPort();
    }

    private String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            String m = String.valueOf(e.getMessage());
            return m.contains("connect") ? "connect timed out after " + connectTimeoutMillis + " ms"
                    : "no reply within " + readTimeoutMillis + " ms";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private SenderResult exchange(InetSocketAddress server, Frame frame, int count) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMillis);
            // an unresolved address is looked up on each connection, so a moved DNS name is followed
            socket.connect(server.isUnresolved() ? new InetSocketAddress(server.getHostString(), server.getPort()) : server,
                    connectTimeoutMillis);
            socket.getOutputStream().write(frame.bytes(), 0, frame.length());
            socket.getOutputStream().flush();
            byte[] reply;
            try {
                reply = ZbxdProtocol.readFrame(socket.getInputStream(), maxReplyBytes);
            } catch (SenderProtocolException e) {
                throw new SenderProtocolException(e.getMessage() + " (reply from " + server + ")", e);
            }
            SenderResult result = parseReply(reply, count);
            log.debug("sent {} values to {}: {}", count, server, result.info());
            return result;
        }
    }

    @Override
    public String toString() {
        return "ZabbixSender[" + String.join(", ", servers.stream().map(ZabbixSender::name).toList())
                + "; connect " + connectTimeoutMillis + " ms, read " + readTimeoutMillis + " ms]";
    }

    /** The frame for a batch: header already in place. Package-private for the tests and the benchmark. */
    Frame encode(List<SenderValue> values) {
        FrameBuffer buf = new FrameBuffer(64 + values.size() * 96);
        try (JsonGenerator g = json.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("request", "sender data");
            g.writeArrayFieldStart("data");
            for (SenderValue v : values) {
                g.writeStartObject();
                g.writeStringField("host", v.host());
                g.writeStringField("key", v.key());
                g.writeStringField("value", v.value());
                if (v.clock() != null) g.writeNumberField("clock", v.clock());
                if (v.ns() != null) g.writeNumberField("ns", v.ns());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: writing to memory", e);
        }
        return buf.frame();
    }

    SenderResult parseReply(byte[] reply, int count) throws SenderProtocolException {
        String response = null;
        String info = null;
        try (JsonParser p = json.createParser(reply)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw notSenderReply(reply, null);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING && "response".equals(name)) response = p.getText();
                else if (t == JsonToken.VALUE_STRING && "info".equals(name)) info = p.getText();
                else p.skipChildren();
            }
        } catch (IOException e) {
            throw notSenderReply(reply, e);
        }
        if ("success".equals(response)) {
            if (info == null) return new SenderResult(count, 0, count, 0.0, true, "");
            try {
                return SenderResult.parseInfo(info);
            } catch (IllegalArgumentException e) {
                throw new SenderProtocolException("sender reply with an unexpected info string: \"" + info + "\"");
            }
        }
        if ("failed".equals(response)) return SenderResult.refused(count, info);
        throw notSenderReply(reply, null);
    }

    private static SenderProtocolException notSenderReply(byte[] reply, Throwable cause) {
        String text = new String(reply, 0, Math.min(reply.length, 200), StandardCharsets.UTF_8);
        return new SenderProtocolException("not a sender reply (" + reply.length + " bytes, starting "
                + ZbxdProtocol.describe(reply, Math.min(reply.length, 16)) + "): " + text, cause);
    }

    /** An encoded frame: {@code bytes[0..length)}. */
    record Frame(byte[] bytes, int length) {
    }

    /** Collects the JSON after 13 reserved header bytes, so the frame goes out in one write. */
    private static final class FrameBuffer extends ByteArrayOutputStream {
        FrameBuffer(int size) {
            super(size + ZbxdProtocol.HEADER_LENGTH);
            count = ZbxdProtocol.HEADER_LENGTH;
        }

        Frame frame() {
            ZbxdProtocol.putHeader(buf, count - ZbxdProtocol.HEADER_LENGTH);
            return new Frame(buf, count);
        }
    }

    /** Configuration of a {@link ZabbixSender}; {@link #build()} checks it. */
    public static final class Builder {
        private final List<InetSocketAddress> servers = new ArrayList<>();
        private int connectTimeoutMillis = 3_000;
        private int readTimeoutMillis = 10_000;
        private int maxReplyBytes = 16 << 20;

        private Builder() {
        }

        /** Adds a server (tried in the order added). */
        public Builder server(InetSocketAddress server) {
            if (server == null) throw new NullPointerException("server == null");
            servers.add(server);
            return this;
        }

        /** Adds a server by host and port (10051 is Zabbix's default trapper port). */
        public Builder server(String host, int port) {
            return server(InetSocketAddress.createUnresolved(host, port));
        }

        /** Adds servers (HA nodes or proxies), tried in this order. */
        public Builder servers(List<InetSocketAddress> list) {
            list.forEach(this::server);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeoutMillis = millis(d, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeoutMillis = millis(d, "readTimeout");
            return this;
        }

        /** Largest reply frame accepted (default 16 MiB); a longer one fails naming its length. */
        public Builder maxReplyBytes(int bytes) {
            if (bytes < 64) throw new IllegalArgumentException("maxReplyBytes must be >= 64: " + bytes);
            this.maxReplyBytes = bytes;
            return this;
        }

        public ZabbixSender build() {
            if (servers.isEmpty()) throw new IllegalStateException("servers is empty: add at least one Zabbix server or proxy");
            return new ZabbixSender(this);
        }

        private static int millis(Duration d, String field) {
            if (d == null) throw new NullPointerException(field + " == null");
            if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(field + " must be between 1 ms and 24 days: " + d);
            }
            return (int) Math.max(1, d.toMillis());
        }
    }
}
