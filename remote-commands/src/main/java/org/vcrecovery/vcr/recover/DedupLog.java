package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Completed recoveries of one service ({@code <state>/dedup/<service>.log}, a line
 * {@code <epoch-ms> <event-id|->} per recovery, newest last, at most {@link #KEEP} lines), used
 * to drop duplicate events. Only read and written while the service's lock is held.
 *
 * <p>The rule: an event is a duplicate when that same event id was already recovered (any time),
 * or when any event arrives inside the window after the last completed recovery. Runs without
 * an event id (by hand) are never duplicates. A failed run is not recorded, so Zabbix's
 * escalation repeating the same event retries it.
 */
public final class DedupLog {
    static final int KEEP = 200;
    private final Path file;

    public DedupLog(Path stateDir, String service) {
        this.file = stateDir.resolve("dedup").resolve(service + ".log");
    }

    private record Entry(Instant at, String eventId) {}

    /** Why {@code eventId} is a duplicate at {@code now}, or empty when it is not. */
    public Optional<String> duplicate(String eventId, Duration window, Instant now) throws IOException {
        if (eventId == null) return Optional.empty();
        List<Entry> entries = read();
        for (Entry e : entries) {
            if (eventId.equals(e.eventId)) {
                return Optional.of("event " + eventId + " was already recovered at " + e.at);
            }
        }
        if (!entries.isEmpty()) {
            Entry last = entries.get(entries.size() - 1);
            Duration ago = Duration.between(last.at, now);
            if (!ago.isNegative() && ago.compareTo(window) < 0) {
                return Optional.of("recovered " + ago.toMillis() / 1000 + " s ago"
                        + (last.eventId == null ? " by hand" : " (event " + last.eventId + ")")
                        + ", inside the dedup window of " + org.vcrecovery.config.Durations.format(window));
            }
        }
        return Optional.empty();
    }

    /** Records a completed recovery. */
    public void record(String eventId, Instant at) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        for (Entry e : read()) lines.add(e.at.toEpochMilli() + " " + (e.eventId == null ? "-" : e.eventId));
        lines.add(at.toEpochMilli() + " " + (eventId == null ? "-" : eventId));
        if (lines.size() > KEEP) lines = lines.subList(lines.size() - KEEP, lines.size());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
            if (f.length != 2) continue;
            try {
                out.add(new Entry(Instant.ofEpochMilli(Long.parseLong(f[0])), f[1].equals("-") ? null : f[1]));
            } catch (NumberFormatException ignored) {
                // a damaged line is skipped, never fatal
            }
        }
        return out;
    }
}
