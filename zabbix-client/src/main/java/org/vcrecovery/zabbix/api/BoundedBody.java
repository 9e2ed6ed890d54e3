package org.vcrecovery.zabbix.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * An HTTP answer body read as it arrives, never past {@code limit} bytes: one byte more throws
 * {@link TooLarge} and the rest is left unread (the caller drops the connection). The first
 * {@link #HEAD} bytes are kept for error messages, so a body that is not JSON can still be quoted.
 */
final class BoundedBody extends FilterInputStream {
    /** How much of the start of a body is kept to quote in an error. */
    static final int HEAD = 64 * 1024;

    /** The body went past the call's limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("answer longer than " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;
    private byte[] head = new byte[1024];
    private int headLength;

    BoundedBody(InputStream in, long limit) {
        super(in == null ? InputStream.nullInputStream() : in);
        if (limit < 1) throw new IllegalArgumentException("limit must be > 0: " + limit);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Never ask for more than one byte past the limit: that byte is the proof of "too large".
        int n = super.read(b, off, (int) Math.min(len, limit + 1 - count));
        if (n <= 0) return n;
        count += n;
        keep(b, off, n);
        if (count > limit) throw new TooLarge(limit);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) return 0;
        return Math.max(0, read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192)));
    }

    private void keep(byte[] b, int off, int n) {
        int room = HEAD - headLength;
        if (room <= 0) return;
        int take = Math.min(room, n);
        if (headLength + take > head.length) head = Arrays.copyOf(head, Math.min(HEAD, Math.max(head.length * 2, headLength + take)));
        System.arraycopy(b, off, head, headLength, take);
        headLength += take;
    }

    /** Reads on until {@link #HEAD} bytes are kept or the body ends (within the limit), for quoting. */
    BoundedBody fillHead() throws IOException {
        byte[] buf = new byte[4096];
        while (headLength < HEAD && read(buf, 0, buf.length) >= 0) {
            // keep() stores what read() returns
        }
        return this;
    }

    /** The first bytes read (at most {@link #HEAD}). */
    byte[] head() {
        return Arrays.copyOf(head, headLength);
    }

    /** How many bytes were read so far. */
    long count() {
        return count;
    }
}
