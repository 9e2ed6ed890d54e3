package org.vcrecovery.listener.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;

/**
 * The write-ahead spool: every value the listener accepts is appended here before it is sent,
 * and the sender reads it back in order. On disk: segment files {@code NNNNNNNNNNNNNNNNNNNN.seg}
 * of length-prefixed, CRC32C-checked records ({@link RecordCodec}) and a {@code cursor} file
 * (segment and offset of the oldest value not yet settled).
 *
 * <p><b>Durability.</b> {@link #append} queues the value for the single writer thread, which
 * writes everything queued and then calls {@code fsync} once (group commit); the returned
 * future completes only after that fsync. A value whose future completed survives SIGKILL and
 * power loss (with {@code fsync=false}: SIGKILL only). After a crash the torn tail of the last
 * segment (a short or CRC-failing record) is cut off at {@link #open}.
 *
 * <p><b>Bound.</b> The segment files never exceed {@code maxBytes} (plus one write batch):
 * when a new batch would pass the bound, the oldest segments are deleted — sent or not — and
 * every unsent value in them is added to {@link Stats#valuesDropped} (policy: drop-oldest,
 * the newest state of a VM matters more than an old one).
 *
 * <p><b>Delivery.</b> At least once: the cursor is persisted at most every 200 ms and at
 * close, so after a crash some already-sent values can be sent again; none is skipped.
 *
 * <p><b>One owner.</b> The spool holds an exclusive lock on {@code DIR/lock} (and writes its
 * pid there) from {@link #open} to {@link #close}: a second listener pointed at the same
 * directory, in this process or another, is refused by {@link #open} instead of interleaving
 * its records and cursor with the first one's.
 *
 * <p>Failures: a write or fsync error fails the affected futures (and logs once per batch);
 * the values are then counted as dropped. {@link #open} throws {@link IOException} when the
 * directory cannot be used or is in use.
 *
 * <p>(Over 300 lines on purpose: the writer thread, recovery at open, the size bound and commit
 * share one lock, the segment list and the durable and committed positions; split apart, each
 * part would reach into the others' state. What needs none of it lives beside it: the record
 * format and segment scanning in {@link RecordCodec}, the cursor file in {@link CursorFile}, the
 * directory lock in {@link DirectoryLock}.)
 */
public final class Spool implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final long CURSOR_WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int MAX_GROUP = 4096;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final boolean fsync;
    private final CursorFile cursorFile;
    private final Stats stats;
    private final BlockingQueue<Pending> queue;
    private final Object lock = new Object();
    private final ArrayDeque<long[]> segments = new ArrayDeque<>(); // {id, size}; guarded by lock
    private final AtomicLong totalBytes = new AtomicLong();
    private final Thread writer;
    private final Object durableSignal = new Object();
    private DirectoryLock dirLock;

    private volatile SpoolPosition durableEnd;
    private volatile SpoolPosition committed;
    private volatile boolean closing;
    private FileChannel current; // writer thread only (and open/close)
    private long currentId;
    private long currentSize;
    private long lastCursorWrite;

    private record Pending(byte[] payload, CompletableFuture<Void> done) {
    }

    private Spool(Path dir, long maxBytes, boolean fsync, int queueCapacity, Stats stats) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 * 1024, Math.min(64L << 20, maxBytes / 8));
        this.fsync = fsync;
        this.cursorFile = new CursorFile(dir, fsync);
        this.stats = stats;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::writeLoop, "spool-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the spool in {@code dir}, cuts a torn tail off the last
     * segment, loads the cursor and starts the writer thread.
     */
    public static Spool open(Path dir, long maxBytes, boolean fsync, int queueCapacity, Stats stats) throws IOException {
        Files.createDirectories(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir);
        Spool s = new Spool(dir, maxBytes, fsync, queueCapacity, stats);
        s.dirLock = lock;
        try {
            s.recover();
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        s.writer.start();
        return s;
    }

    private void recover() throws IOException {
        List<Long> ids;
        try (Stream<Path> files = Files.list(dir)) {
            ids = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d{20}\\.seg"))
                    .map(n -> Long.parseLong(n.substring(0, 20)))
                    .sorted().toList();
        }
        for (long id : ids) {
            long size = Files.size(segment(id));
            segments.add(new long[] {id, size});
            totalBytes.addAndGet(size);
        }
        if (segments.isEmpty()) {
            currentId = 1;
            current = openSegment(currentId);
            currentSize = 0;
            segments.add(new long[] {currentId, 0});
        } else {
            long[] last = segments.peekLast();
            currentId = last[0];
            current = FileChannel.open(segment(currentId), StandardOpenOption.READ, StandardOpenOption.WRITE);
            long valid = RecordCodec.validLength(current);
            if (valid < last[1]) {
                log.warn("spool: cut a torn record off the end of {} ({} of {} bytes kept)", segment(currentId).getFileName(), valid, last[1]);
                current.truncate(valid);
                current.force(true);
                totalBytes.addAndGet(valid - last[1]);
                last[1] = valid;
            }
            currentSize = valid;
            current.position(valid);
        }
        durableEnd = new SpoolPosition(currentId, currentSize);
        SpoolPosition c = cursorFile.read();
        long first = segments.peekFirst()[0];
        if (c.segment() < first) c = new SpoolPosition(first, 0);
        if (c.compareTo(durableEnd) > 0) c = durableEnd;
        committed = c;
        cursorFile.assume(c);
    }

    /**
     * Queues {@code v} for the disk; blocks while the in-memory queue is full (back-pressure to
     * the sources). The future completes when the value is on disk (after fsync), or
     * exceptionally when writing failed or the spool is closed.
     */
    public CompletableFuture<Void> append(TrapperValue v) throws InterruptedException {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closing) {
            f.completeExceptionally(new IOException("spool closed"));
            return f;
        }
        // Encoded in the caller's thread: spreads the work and rejects an oversized value here.
        queue.put(new Pending(RecordCodec.payload(v), f));
        return f;
    }

    /** A reader positioned at the persisted cursor (the oldest value not yet settled). */
    public SpoolReader reader() {
        return new SpoolReader(this, committed);
    }

    /**
     * Marks everything before {@code cursor} as settled (sent, or given up on): segments wholly
     * before it are deleted; the cursor file is rewritten at most every 200 ms.
     */
    public void commit(SpoolPosition cursor) {
        committed = cursor;
        synchronized (lock) {
            while (segments.size() > 1 && segments.peekFirst()[0] < cursor.segment()) {
                deleteOldest(false);
            }
        }
        long now = System.nanoTime();
        if (now - lastCursorWrite >= CURSOR_WRITE_INTERVAL_NANOS) {
            lastCursorWrite = now;
            cursorFile.write(cursor);
        }
    }

    /** Bytes on disk not yet settled (approximately: whole segment files after the cursor's). */
    public long bytes() {
        SpoolPosition c = committed;
        return Math.max(0, totalBytes.get() - c.offset());
    }

    /** Values waiting in memory for the disk. */
    public int queued() {
        return queue.size();
    }

    SpoolPosition durableEnd() {
        return durableEnd;
    }

    long firstSegment() {
        synchronized (lock) {
            return segments.peekFirst()[0];
        }
    }

    Path segment(long id) {
        return dir.resolve(String.format("%020d.seg", id));
    }

    /** Waits up to {@code nanos} for records beyond {@code pos} to become durable. */
    void awaitBeyond(SpoolPosition pos, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (durableSignal) {
            while (durableEnd.compareTo(pos) <= 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                TimeUnit.NANOSECONDS.timedWait(durableSignal, left);
            }
        }
    }

    /** Wakes a reader waiting in {@link #awaitBeyond} (used at shutdown). */
    void wakeReaders() {
        synchronized (durableSignal) {
            durableSignal.notifyAll();
        }
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        while (true) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) break;
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                buf = writeGroup(group, buf);
            } catch (InterruptedException e) {
                if (closing) break;
            } finally {
                group.clear();
            }
        }
    }

    private ByteBuffer writeGroup(List<Pending> group, ByteBuffer buf) {
        List<byte[]> payloads = new ArrayList<>(group.size());
        long bytes = 0;
        for (Pending p : group) {
            payloads.add(p.payload());
            bytes += RecordCodec.HEADER + p.payload().length;
        }
        try {
            if (currentSize >= segmentBytes) roll();
            ensureRoom(bytes);
            if (buf.capacity() < bytes) buf = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE, bytes * 2));
            buf.clear();
            for (byte[] pl : payloads) RecordCodec.write(buf, pl);
            buf.flip();
            while (buf.hasRemaining()) current.write(buf);
            if (fsync) current.force(false);
            currentSize += bytes;
            totalBytes.addAndGet(bytes);
            synchronized (lock) {
                segments.peekLast()[1] = currentSize;
            }
            synchronized (durableSignal) {
                durableEnd = new SpoolPosition(currentId, currentSize);
                durableSignal.notifyAll();
            }
            for (Pending p : group) p.done().complete(null);
        } catch (IOException | RuntimeException e) {
            log.error("spool: cannot write {} values to {}: {}", group.size(), dir, e.toString());
            stats.valuesDropped.add(group.size());
            for (Pending p : group) p.done().completeExceptionally(e);
            try {
                // Forget a partial write so the next group starts at a record boundary.
                current.truncate(currentSize);
                current.position(currentSize);
            } catch (IOException ignored) {
                // The next write reports the trouble again.
            }
        }
        return buf;
    }

    private void roll() throws IOException {
        current.force(true);
        current.close();
        currentId++;
        current = openSegment(currentId);
        currentSize = 0;
        synchronized (lock) {
            segments.add(new long[] {currentId, 0});
        }
    }

    private void ensureRoom(long needed) throws IOException {
        synchronized (lock) {
            if (totalBytes.get() + needed <= maxBytes) return;
        }
        if (currentSize > 0) roll();
        synchronized (lock) {
            while (totalBytes.get() + needed > maxBytes && segments.size() > 1) deleteOldest(true);
        }
    }

    /** Deletes the oldest segment; with {@code counting}, its unsent values count as dropped. */
    private void deleteOldest(boolean counting) {
        long[] seg = segments.pollFirst();
        Path p = segment(seg[0]);
        if (counting) {
            SpoolPosition c = committed;
            long from = c.segment() == seg[0] ? c.offset() : (c.segment() > seg[0] ? Long.MAX_VALUE : 0);
            long lost = RecordCodec.countRecords(p, from);
            if (lost > 0) {
                stats.valuesDropped.add(lost);
                log.warn("spool: full ({} bytes max), dropped the oldest {} unsent values", maxBytes, lost);
            }
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("spool: cannot delete {}: {}", p, e.toString());
        }
        totalBytes.addAndGet(-seg[1]);
    }

    private FileChannel openSegment(long id) throws IOException {
        FileChannel ch = FileChannel.open(segment(id), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        syncDir();
        return ch;
    }

    private void syncDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every file system lets a directory be fsync'd; the data files still are.
        }
    }

    /**
     * Writes everything already queued, fsyncs, persists the cursor and stops the writer.
     * Values appended afterwards fail.
     */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) p.done().completeExceptionally(new IOException("spool closed"));
        cursorFile.write(committed);
        wakeReaders();
        try {
            current.force(true);
            current.close();
        } finally {
            dirLock.close();
        }
    }
}
