package org.vcrecovery.zabbix.sender;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The Zabbix {@code ZBXD} framing, both directions: {@code "ZBXD"}, one flags byte (0x01
 * protocol, 0x02 zlib-compressed, 0x04 large packet), then the data length and a reserved
 * length (the uncompressed size when compressed), little-endian, 4 bytes each or 8 with the
 * large-packet flag; then the data.
 *
 * <p>Reads are bounded: a declared length above the caller's limit is refused before any buffer
 * is allocated. Every failure is an {@link IOException} naming what was seen (the header bytes in
 * hex, the declared length, how many bytes arrived): {@link SenderProtocolException} for what the
 * peer sent wrongly, {@link EOFException} for a frame cut short. Stateless and thread-safe.
 */
public final class ZbxdProtocol {
    /** Length of the standard header: magic, flags, two 4-byte lengths. */
    public static final int HEADER_LENGTH = 13;
    /** Length of the header with the large-packet flag: two 8-byte lengths. */
    public static final int LARGE_HEADER_LENGTH = 21;
    public static final int FLAG_PROTOCOL = 0x01;
    public static final int FLAG_COMPRESSED = 0x02;
    public static final int FLAG_LARGE = 0x04;

    private static final byte[] MAGIC = {'Z', 'B', 'X', 'D'};

    private ZbxdProtocol() {
    }

    /** Writes a standard 13-byte header for {@code dataLength} bytes into {@code dst[0..12]}. */
    public static void putHeader(byte[] dst, int dataLength) {
        if (dataLength < 0) throw new IllegalArgumentException("dataLength < 0: " + dataLength);
        System.arraycopy(MAGIC, 0, dst, 0, 4);
        dst[4] = FLAG_PROTOCOL;
        putLittleEndian(dst, 5, dataLength, 4);
        putLittleEndian(dst, 9, 0, 4);
    }

    /** Writes one uncompressed frame, header and data in a single write; {@code large} selects 8-byte lengths. */
    public static void writeFrame(OutputStream out, byte[] data, boolean large) throws IOException {
        int header = large ? LARGE_HEADER_LENGTH : HEADER_LENGTH;
        byte[] frame = new byte[header + data.length];
        System.arraycopy(MAGIC, 0, frame, 0, 4);
        frame[4] = (byte) (FLAG_PROTOCOL | (large ? FLAG_LARGE : 0));
        int width = large ? 8 : 4;
        putLittleEndian(frame, 5, data.length, width);
        putLittleEndian(frame, 5 + width, 0, width);
        System.arraycopy(data, 0, frame, header, data.length);
        out.write(frame);
        out.flush();
    }

    /**
     * Reads one frame and returns its data, inflated if it was compressed.
     *
     * @param maxBytes the largest data length accepted (compressed and uncompressed)
     * @throws EOFException if the stream ends inside the frame
     * @throws IOException  on a bad header, unknown flags, a length over {@code maxBytes}, or bad zlib data
     */
    public static byte[] readFrame(InputStream in, long maxBytes) throws IOException {
        maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 16);
        byte[] head = new byte[LARGE_HEADER_LENGTH];
        readFully(in, head, 0, 5, "frame header");
        for (int i = 0; i < 4; i++) {
            if (head[i] != MAGIC[i]) {
                int n = 5 + in.readNBytes(head, 5, 11);
                throw new SenderProtocolException("bad frame header: expected ZBXD, got " + describe(head, n));
            }
        }
        int flags = head[4] & 0xff;
        if ((flags & FLAG_PROTOCOL) == 0 || (flags & ~(FLAG_PROTOCOL | FLAG_COMPRESSED | FLAG_LARGE)) != 0) {
            throw new SenderProtocolException(String.format("bad frame header: unknown flags 0x%02x", flags));
        }
        int width = (flags & FLAG_LARGE) != 0 ? 8 : 4;
        readFully(in, head, 5, 2 * width, "frame header");
        long length = getLittleEndian(head, 5, width);
        long reserved = getLittleEndian(head, 5 + width, width);
        if (length < 0 || length > maxBytes) {
            throw new SenderProtocolException("frame too long: header declares " + Long.toUnsignedString(length)
                    + " bytes, limit is " + maxBytes);
        }
        byte[] data = new byte[(int) length];
        readFully(in, data, 0, data.length, "frame data");
        if ((flags & FLAG_COMPRESSED) == 0) return data;
        if (reserved < 0 || reserved > maxBytes) {
            throw new SenderProtocolException("frame too long: compressed frame declares " + Long.toUnsignedString(reserved)
                    + " uncompressed bytes, limit is " + maxBytes);
        }
        return inflate(data, (int) reserved);
    }

    private static byte[] inflate(byte[] compressed, int size) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[size + 1]; // one spare byte detects a stream longer than declared
            int n = 0;
            while (n <= size && !inflater.finished()) {
                int k = inflater.inflate(out, n, out.length - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                n += k;
            }
            if (n != size || !inflater.finished()) {
                throw new SenderProtocolException("bad compressed frame: header declares " + size
                        + " uncompressed bytes, zlib data gave " + n + (inflater.finished() ? "" : " or more"));
            }
            return Arrays.copyOf(out, size);
        } catch (DataFormatException e) {
            throw new SenderProtocolException("bad compressed frame: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void readFully(InputStream in, byte[] b, int off, int len, String what) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) throw new EOFException("connection closed inside the " + what + ": got " + n + " of " + len + " bytes");
    }

    private static void putLittleEndian(byte[] dst, int off, long v, int width) {
        for (int i = 0; i < width; i++) dst[off + i] = (byte) (v >>> (8 * i));
    }

    private static long getLittleEndian(byte[] src, int off, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) v = (v << 8) | (src[off + i] & 0xff);
        return v;
    }

    /** The first {@code n} bytes as hex plus their printable ASCII, for error messages. */
    static String describe(byte[] b, int n) {
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (i > 0) hex.append(' ');
            hex.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            text.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return hex + " (\"" + text + "\")";
    }

    static String describe(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return describe(b, Math.min(b.length, 16));
    }
}
