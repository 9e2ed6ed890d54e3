package org.vcrecovery.listener.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.listener.TrapperValue;

/**
 * Reads durable records in append order, for one consumer thread. Records in segments the
 * spool dropped (size bound) are skipped. Bytes that are not a whole, CRC-valid record (a
 * corrupt record, a length past the end of the file, or a few stray bytes after the last
 * record of any segment, not only the last one) are logged with their position and size and
 * skipped up to the end of what is readable in that segment; the reader always moves on and
 * never waits on them.
 */
public final class SpoolReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpoolReader.class);

    private final Spool spool;
    private SpoolPosition pos;
    private FileChannel ch;
    private long chSegment = -1;
    private ByteBuffer buf = ByteBuffer.allocate(256 * 1024);

    SpoolReader(Spool spool, SpoolPosition start) {
        this.spool = spool;
        this.pos = start;
    }

    /** Where the next read starts. */
    public SpoolPosition position() {
        return pos;
    }

    /** Waits up to {@code timeout} for at least one record to be readable. */
    public void await(long timeout, TimeUnit unit) throws InterruptedException {
        spool.awaitBeyond(pos, unit.toNanos(timeout));
    }

    /** The end of what is durable now. */
    public SpoolPosition durableEnd() {
        return spool.durableEnd();
    }

    /** True when a record is readable now. */
    public boolean hasMore() {
        return spool.durableEnd().compareTo(pos) > 0;
    }

    /** Up to {@code max} records from the current position; empty when none is durable yet. */
    public List<SpoolRecord> read(int max) throws IOException {
        List<SpoolRecord> out = new ArrayList<>(Math.min(max, 1024));
        SpoolPosition end = spool.durableEnd();
        while (out.size() < max && pos.compareTo(end) < 0) {
            long first = spool.firstSegment();
            if (pos.segment() < first) {
                pos = new SpoolPosition(first, 0);
                continue;
            }
            if (!openSegment(pos.segment(), first)) continue;
            long limit = pos.segment() < end.segment() ? ch.size() : end.offset();
            if (pos.offset() >= limit) {
                pos = new SpoolPosition(pos.segment() + 1, 0);
                continue;
            }
            if (!readChunk(limit, max, out)) {
                log.warn("spool: {} bytes at {} in {} are not a whole record (torn write or damage), skipped",
                        limit - pos.offset(), pos, spool.segment(pos.segment()).getFileName());
                pos = new SpoolPosition(pos.segment(), limit);
            }
        }
        return out;
    }

    private boolean openSegment(long segment, long first) throws IOException {
        if (chSegment == segment) return true;
        closeChannel();
        try {
            ch = FileChannel.open(spool.segment(segment), StandardOpenOption.READ);
            chSegment = segment;
            return true;
        } catch (NoSuchFileException e) {
            // Dropped by the size bound between our check and the open: resync to the oldest.
            pos = new SpoolPosition(Math.max(spool.firstSegment(), segment + 1), 0);
            return false;
        }
    }

    /**
     * Parses whole records from one read. False when the bytes at the current position are not
     * a whole record up to {@code limit}: a bad length or CRC, or a record (or header) cut off.
     */
    private boolean readChunk(long limit, int max, List<SpoolRecord> out) throws IOException {
        long off = pos.offset();
        int want = (int) Math.min(buf.capacity(), limit - off);
        buf.clear().limit(want);
        while (buf.hasRemaining()) {
            if (ch.read(buf, off + buf.position()) < 0) break;
        }
        buf.flip();
        while (out.size() < max && buf.remaining() >= RecordCodec.HEADER) {
            int start = buf.position();
            int len = buf.getInt(start);
            int crc = buf.getInt(start + 4);
            if (len <= 0 || len > RecordCodec.MAX_PAYLOAD) return false;
            if (buf.remaining() < RecordCodec.HEADER + len) {
                if (start == 0 && RecordCodec.HEADER + len > buf.capacity() && off + RecordCodec.HEADER + len <= limit) {
                    buf = ByteBuffer.allocate(RecordCodec.HEADER + len);
                    return true; // read again with the bigger buffer
                }
                break;
            }
            byte[] payload = new byte[len];
            buf.position(start + RecordCodec.HEADER);
            buf.get(payload);
            if (!RecordCodec.crcMatches(payload, crc)) return false;
            TrapperValue v = RecordCodec.decode(payload);
            if (v == null) return false;
            SpoolPosition here = new SpoolPosition(pos.segment(), off + start);
            SpoolPosition next = new SpoolPosition(pos.segment(), off + buf.position());
            out.add(new SpoolRecord(here, next, v));
            pos = next;
        }
        // Nothing parsed: the first record (or its header) does not fit before the limit.
        return pos.offset() > off;
    }

    private void closeChannel() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only channel
            }
            ch = null;
            chSegment = -1;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
