package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One recovery per service at a time: an OS file lock on {@code <state>/locks/<service>.lock}
 * plus a holder file ({@code <service>.holder}: pid, host, start) so a second run can say who it
 * is waiting on. The OS releases the lock when the process dies, so a crashed run never leaves
 * a stale lock; a stale holder file is simply overwritten by the next owner.
 *
 * <p>{@link #tryAcquire} never waits: it returns empty when another process (or another
 * thread of this JVM) holds the lock. Closing releases it and removes the holder file.
 *
 * <p>Runs in one JVM ({@code vcr serve}) are kept apart before the file is even opened: the
 * kernel drops a process's POSIX locks on a file when the process closes any descriptor of that
 * file, so a second run that opened the lock file and closed it again on finding it held would
 * free the first run's lock for every other process.
 */
public final class ServiceLock implements AutoCloseable {
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final Path holderFile;

    private ServiceLock(Path lockFile, FileChannel channel, FileLock lock, Path holderFile) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.holderFile = holderFile;
    }

    /** Takes the lock of {@code service}, or returns empty at once when someone holds it. */
    public static Optional<ServiceLock> tryAcquire(Path stateDir, String service) throws IOException {
        Path dir = stateDir.resolve("locks");
        Files.createDirectories(dir);
        Path file = dir.resolve(service + ".lock").toAbsolutePath().normalize();
        if (!HELD_HERE.add(file)) return Optional.empty();
        boolean taken = false;
        try {
            Optional<ServiceLock> lock = lockFile(dir, file, service);
            taken = lock.isPresent();
            return lock;
        } finally {
            if (!taken) HELD_HERE.remove(file);
        }
    }

    private static Optional<ServiceLock> lockFile(Path dir, Path file, String service) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        Path holder = dir.resolve(service + ".holder");
        Path tmp = dir.resolve(service + ".holder." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId());
        try {
            Files.writeString(tmp, describeMe(), StandardCharsets.UTF_8);
            Files.move(tmp, holder, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                lock.release();
            } finally {
                ch.close();
            }
            throw e;
        }
        return Optional.of(new ServiceLock(file, ch, lock, holder));
    }

    /** Who holds the lock of {@code service}, as written by the holder ({@code pid 42 on host since ...}). */
    public static String holder(Path stateDir, String service) {
        try {
            String s = Files.readString(stateDir.resolve("locks").resolve(service + ".holder"), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "unknown holder (starting)" : s;
        } catch (IOException e) {
            return "unknown holder (starting)";
        }
    }

    private static String describeMe() {
        return "pid " + ProcessHandle.current().pid() + " on " + hostName() + " since " + Instant.now() + "\n";
    }

    /** The kernel's host name: no resolver call (InetAddress.getLocalHost can wait on DNS for seconds). */
    static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
            if (!h.isEmpty()) return h;
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }


    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(holderFile);
        } finally {
            try {
                lock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    HELD_HERE.remove(lockFile);
                }
            }
        }
    }
}
