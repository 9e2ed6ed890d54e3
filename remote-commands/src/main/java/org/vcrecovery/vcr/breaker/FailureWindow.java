package org.vcrecovery.vcr.breaker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.DedupLog.Now;
import org.vcrecovery.vcr.recover.DedupLog.Sync;

/**
 * The circuit breaker's count of failures, shared by every {@code vcr} process and
 * {@code vcr serve} on this host: {@code <state>/breaker/failures.log}, a line
 * {@code <epoch-ms> <service> <event-id|-> <admitted|held> [<boot-id>/<uptime-ms>]} per failure
 * that reached the breaker, newest last.
 *
 * <p>The rule ({@link #admit}): a failure is admitted when fewer than {@code limit} other
 * services failed inside the window before it (admitted or held: a storm keeps the breaker open
 * while it lasts); else it is held. The same service failing again (a retry) does not count
 * against itself. Ages are measured as in {@link org.vcrecovery.vcr.recover.DedupLog}: the
 * kernel's boot clock within one boot (a wall clock stepped back or forward changes nothing),
 * else the wall clock, an entry up to a window in the future counting as inside it. So a clock
 * step can never empty the window and disable the breaker.
 *
 * <p>Check and record are one atomic step: under a lock file ({@code failures.lock}, an OS lock
 * between processes, a monitor between threads of one process), the file is read, pruned of
 * entries outside the window, appended to and written whole (a temporary file, fsync'd, renamed,
 * the directory fsync'd), so a crash leaves the old list or the new one. A damaged line is
 * skipped. Throws {@link IOException} when the state directory cannot be used.
 */
public final class FailureWindow {
    /** At most this many entries are kept (the oldest dropped first). */
    static final int KEEP = 1000;
    private static final Object MONITOR = new Object();

    /** What the breaker decided for one failure: {@code failures} distinct services inside the window, this one included. */
    public record Decision(boolean admitted, int failures, Duration window) {}

    private final Path dir;
    private final Sync sync;

    public FailureWindow(Path stateDir) {
        this(stateDir, org.vcrecovery.vcr.recover.DedupLog.FSYNC);
    }

    FailureWindow(Path stateDir, Sync sync) {
        this.dir = stateDir.resolve("breaker");
        this.sync = sync;
    }

    private record Entry(Now at, String service, String eventId, boolean admitted) {
        String line() {
            return at.wall().toEpochMilli() + " " + service + " " + (eventId == null ? "-" : eventId) + " "
                    + (admitted ? "admitted" : "held") + (at.boot() == null ? "" : " " + at.boot() + "/" + at.uptimeMillis());
        }
    }

    /**
     * Counts the failure of {@code service} at {@code now} and decides whether it may be
     * recovered automatically; {@code approved} admits it whatever the count (it is still counted).
     */
    public Decision admit(String service, String eventId, boolean approved, VcrConfig.Breaker breaker, Now now)
            throws IOException {
        Files.createDirectories(dir);
        synchronized (MONITOR) {
            try (FileChannel lockFile = FileChannel.open(dir.resolve("failures.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                List<Entry> inside = new ArrayList<>();
                for (Entry e : read()) {
                    if (inside(e.at, now, breaker.window())) inside.add(e);
                }
                Set<String> others = new LinkedHashSet<>();
                for (Entry e : inside) {
                    if (!e.service.equals(service)) others.add(e.service);
                }
                boolean admitted = approved || others.size() < breaker.limit();
                inside.add(new Entry(now, service, eventId, admitted));
                if (inside.size() > KEEP) inside = inside.subList(inside.size() - KEEP, inside.size());
                write(inside);
                return new Decision(admitted, others.size() + 1, breaker.window());
            }
        }
    }

    /** The distinct services that failed inside the window at {@code now} (for {@code --plan}); never writes. */
    public int failures(VcrConfig.Breaker breaker, Now now) throws IOException {
        Set<String> services = new LinkedHashSet<>();
        for (Entry e : read()) {
            if (inside(e.at, now, breaker.window())) services.add(e.service);
        }
        return services.size();
    }

    static boolean inside(Now at, Now now, Duration window) {
        boolean sameBoot = at.boot() != null && at.boot().equals(now.boot());
        Duration ago = sameBoot ? Duration.ofMillis(now.uptimeMillis() - at.uptimeMillis())
                : Duration.between(at.wall(), now.wall());
        return ago.abs().compareTo(window) < 0;
    }

    private void write(List<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Entry e : entries) text.append(e.line()).append('\n');
        sync.replace(dir.resolve("failures.log"), text);
    }

    private List<Entry> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("failures.log"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.trim().split(" ");
            if (f.length != 4 && f.length != 5) continue;
            try {
                Instant wall = Instant.ofEpochMilli(Long.parseLong(f[0]));
                Now at = Now.wall(wall);
                if (f.length == 5) {
                    int slash = f[4].lastIndexOf('/');
                    at = new Now(wall, f[4].substring(0, slash), Long.parseLong(f[4].substring(slash + 1)));
                }
                out.add(new Entry(at, f[1], f[2].equals("-") ? null : f[2], f[3].equals("admitted")));
            } catch (NumberFormatException | IndexOutOfBoundsException ignored) {
                // a damaged line is skipped, never fatal
            }
        }
        return out;
    }
}
