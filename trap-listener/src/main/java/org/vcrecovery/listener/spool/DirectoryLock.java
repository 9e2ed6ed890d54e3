package org.vcrecovery.listener.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code DIR/lock} (POSIX record lock through {@link FileChannel#tryLock}),
 * held while a spool is open, with the owner's pid written into the file for the error message
 * of whoever is refused. The kernel releases it when the process dies, so a killed listener
 * never leaves a stale lock behind.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir}, or throws naming the directory and the pid that holds it. */
    static DirectoryLock acquire(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this very process (another spool object on the same directory)
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = holder(ch);
            ch.close();
            throw new IOException("spool directory " + dir + " is in use by another vcr-trap-listener"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": give each listener its own spool.dir");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new DirectoryLock(ch, l);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("\\d{1,10}") ? s : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
