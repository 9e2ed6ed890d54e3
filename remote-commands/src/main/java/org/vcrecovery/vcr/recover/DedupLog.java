package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Completed recoveries of one service ({@code <state>/dedup/<service>.log}, a line
 * {@code <epoch-ms> <event-id|-> [<boot-id>/<uptime-ms>]} per recovery, newest last, at most
 * {@link #KEEP} lines), used to drop duplicate events. Only read and written while the
 * service's lock is held. Written whole (a temporary file, fsync'd, renamed over the old one,
 * then the directory fsync'd), so a crash leaves the old list or the new one.
 *
 * <p>The rule: an event is a duplicate when that same event id was already recovered (any time),
 * or when any event arrives inside the window after the last completed recovery. The time since
 * then is the kernel's boot clock when both were taken in the same boot (a wall-clock step, NTP
 * or by hand, changes nothing), else the wall clock; a last recovery the wall clock puts in the
 * future (the clock went back) is inside the window when it is less than a window ahead. Runs
 * without an event id (by hand) are never duplicates. A failed run is not recorded, so Zabbix's
 * escalation repeating the same event retries it.
 */
public final class DedupLog {
    static final int KEEP = 200;

    /**
     * When: the wall clock, and the boot clock ({@code boot} null when there is none). Also the
     * circuit breaker's clock ({@code org.vcrecovery.vcr.breaker.FailureWindow}).
     */
    public record Now(Instant wall, String boot, long uptimeMillis) {
        /** This machine's clocks: /proc's boot id and uptime (Linux); the wall clock alone elsewhere. */
        public static Now system() {
            Instant wall = Instant.now();
            try {
                String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
                String up = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
                return new Now(wall, boot, Math.round(Double.parseDouble(up) * 1000));
            } catch (IOException | RuntimeException e) {
                return new Now(wall, null, -1);
            }
        }

        public static Now wall(Instant wall) {
            return new Now(wall, null, -1);
        }
    }

    /** Forces a file or directory to disk (a test records the calls). */
    public interface Sync {
        void sync(Path path) throws IOException;

        /**
         * Replaces {@code file} with {@code text} so that a crash leaves the old or the new content,
         * never a mix, and the new one survives power loss: a temp file written and synced, renamed
         * over the file, then the directory synced.
         */
        default void replace(Path file, CharSequence text) throws IOException {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
                while (b.hasRemaining()) c.write(b);
            }
            sync(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            sync(file.getParent());
        }
    }

    /** The real one: {@link FileChannel#force}. */
    public static final Sync FSYNC = p -> {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        }
    };

    private final Path file;
    private final Sync sync;

    public DedupLog(Path stateDir, String service) {
        this(stateDir, service, FSYNC);
    }

    DedupLog(Path stateDir, String service, Sync sync) {
        this.file = stateDir.resolve("dedup").resolve(service + ".log");
        this.sync = sync;
    }

    private record Entry(Now at, String eventId) {
        String line() {
            return at.wall().toEpochMilli() + " " + (eventId == null ? "-" : eventId)
                    + (at.boot() == null ? "" : " " + at.boot() + "/" + at.uptimeMillis());
        }
    }

    /** Why {@code eventId} is a duplicate at {@code now} (wall clock only), or empty when it is not. */
    public Optional<String> duplicate(String eventId, Duration window, Instant now) throws IOException {
        return duplicate(eventId, window, Now.wall(now));
    }

    /** Why {@code eventId} is a duplicate at {@code now}, or empty when it is not. */
    Optional<String> duplicate(String eventId, Duration window, Now now) throws IOException {
        if (eventId == null) return Optional.empty();
        List<Entry> entries = read();
        for (Entry e : entries) {
            if (eventId.equals(e.eventId)) {
                return Optional.of("event " + eventId + " was already recovered at " + e.at.wall());
            }
        }
        if (entries.isEmpty()) return Optional.empty();
        Entry last = entries.get(entries.size() - 1);
        boolean sameBoot = last.at.boot() != null && last.at.boot().equals(now.boot());
        Duration ago = sameBoot ? Duration.ofMillis(now.uptimeMillis() - last.at.uptimeMillis())
                : Duration.between(last.at.wall(), now.wall());
        if (ago.abs().compareTo(window) >= 0) return Optional.empty();
        String when = ago.isNegative() ? "recovered at " + last.at.wall() + ", less than the window ahead of this clock (it went back)"
                : "recovered " + ago.toMillis() / 1000 + " s ago";
        return Optional.of(when + (last.eventId == null ? " by hand" : " (event " + last.eventId + ")")
                + ", inside the dedup window of " + org.vcrecovery.config.Durations.format(window));
    }

    /** Records a completed recovery at {@code at} (wall clock only). */
    public void record(String eventId, Instant at) throws IOException {
        record(eventId, Now.wall(at));
    }

    /** Records a completed recovery, durably: the file and its directory are fsync'd. */
    void record(String eventId, Now at) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        List<Entry> entries = new ArrayList<>(read());
        entries.add(new Entry(at, eventId));
        if (entries.size() > KEEP) entries = entries.subList(entries.size() - KEEP, entries.size());
        StringBuilder text = new StringBuilder();
        for (Entry e : entries) text.append(e.line()).append('\n');
        sync.replace(file, text);
    }

    private List<Entry> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.trim().split(" ");
            if (f.length != 2 && f.length != 3) continue;
            try {
                Instant wall = Instant.ofEpochMilli(Long.parseLong(f[0]));
                Now at = Now.wall(wall);
                if (f.length == 3) {
                    int slash = f[2].lastIndexOf('/');
                    at = new Now(wall, f[2].substring(0, slash), Long.parseLong(f[2].substring(slash + 1)));
                }
                out.add(new Entry(at, f[1].equals("-") ? null : f[1]));
            } catch (NumberFormatException | IndexOutOfBoundsException ignored) {
                // a damaged line is skipped, never fatal
            }
        }
        return out;
    }
}
