package org.vcrecovery.listener.spool;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.vcrecovery.listener.TrapperValue;

/**
 * The on-disk record: {@code int payloadLength, int crc32c(payload), payload}; payload =
 * {@code byte version(1), long clock, int ns, host, key, value} with each string as
 * {@code int length + UTF-8}. Big-endian. A record whose length is out of range or whose CRC
 * does not match is "torn" (a write cut short by a crash) and is never returned as a value.
 */
final class RecordCodec {
    static final int HEADER = 8;
    static final int MAX_PAYLOAD = 1 << 20;
    private static final byte VERSION = 1;

    private RecordCodec() {
    }

    /** Encoded size of {@code v}'s record including the header. */
    static byte[] payload(TrapperValue v) {
        byte[] h = v.host().getBytes(StandardCharsets.UTF_8);
        byte[] k = v.key().getBytes(StandardCharsets.UTF_8);
        byte[] val = v.value().getBytes(StandardCharsets.UTF_8);
        int len = 1 + 8 + 4 + 12 + h.length + k.length + val.length;
        if (len > MAX_PAYLOAD) throw new IllegalArgumentException("value too large for the spool: " + len + " bytes");
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(VERSION).putLong(v.clock()).putInt(v.ns());
        b.putInt(h.length).put(h).putInt(k.length).put(k).putInt(val.length).put(val);
        return b.array();
    }

    /** Writes header + payload into {@code out} (which must have room). */
    static void write(ByteBuffer out, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        out.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    }

    /** True when {@code crc} matches {@code payload}. */
    static boolean crcMatches(byte[] payload, int crc) {
        CRC32C c = new CRC32C();
        c.update(payload);
        return (int) c.getValue() == crc;
    }

    /** Decodes a payload whose CRC matched; null when its structure is wrong. */
    static TrapperValue decode(byte[] payload) {
        try {
            ByteBuffer b = ByteBuffer.wrap(payload);
            if (b.get() != VERSION) return null;
            long clock = b.getLong();
            int ns = b.getInt();
            String host = string(b);
            String key = string(b);
            String value = string(b);
            if (b.hasRemaining()) return null;
            return new TrapperValue(host, key, value, clock, ns);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) throw new BufferUnderflowException();
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** Length of the prefix of {@code ch} made of whole records with matching CRCs (where a torn tail starts). */
    static long validLength(FileChannel ch) throws IOException {
        long size = ch.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= size) {
            header.clear();
            ch.read(header, pos);
            header.flip();
            int len = header.getInt();
            int crc = header.getInt();
            if (len <= 0 || len > MAX_PAYLOAD || pos + HEADER + len > size) break;
            ByteBuffer payload = ByteBuffer.allocate(len);
            ch.read(payload, pos + HEADER);
            if (!crcMatches(payload.array(), crc)) break;
            pos += HEADER + len;
        }
        return pos;
    }

    /**
     * How many records segment file {@code p} holds from offset {@code from} on (none for
     * {@code Long.MAX_VALUE}); what could be read when the file cannot be read to its end.
     */
    static long countRecords(Path p, long from) {
        if (from == Long.MAX_VALUE) return 0;
        long n = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = from;
            ByteBuffer h = ByteBuffer.allocate(4);
            while (pos + HEADER <= size) {
                h.clear();
                ch.read(h, pos);
                int len = h.flip().getInt();
                if (len <= 0) break;
                pos += HEADER + len;
                n++;
            }
        } catch (IOException e) {
            return n;
        }
        return n;
    }
}
