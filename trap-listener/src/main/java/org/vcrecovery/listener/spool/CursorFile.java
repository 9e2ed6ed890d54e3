package org.vcrecovery.listener.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's {@code cursor} file: one line {@code SEGMENT OFFSET}, the oldest value not yet
 * settled. Written to {@code cursor.tmp}, fsync'd (when the spool fsyncs) and renamed over the
 * old one, so a crash leaves the old cursor or the new one, never half of one. An unreadable
 * file reads as the start (replay from the oldest segment: at least once, never skipped).
 * Failures are logged, never thrown: a stale cursor only means values are sent again.
 */
final class CursorFile {
    private static final Logger log = LoggerFactory.getLogger(CursorFile.class);

    private final Path file;
    private final Path tmp;
    private final boolean fsync;
    private SpoolPosition written; // guarded by this

    CursorFile(Path dir, boolean fsync) {
        this.file = dir.resolve("cursor");
        this.tmp = dir.resolve("cursor.tmp");
        this.fsync = fsync;
    }

    /** The persisted cursor, or {@link SpoolPosition#START} when there is none or it cannot be read. */
    SpoolPosition read() {
        try {
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            return new SpoolPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            if (Files.exists(file)) log.warn("spool: unreadable cursor file {}, replaying from the oldest segment", file);
            return SpoolPosition.START;
        }
    }

    /** Records that {@code c} is what the file holds (or stands for) without writing it. */
    synchronized void assume(SpoolPosition c) {
        written = c;
    }

    /** Persists {@code c} unless it is what was last written. */
    synchronized void write(SpoolPosition c) {
        if (c.equals(written)) return;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap((c.segment() + " " + c.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
                if (fsync) ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            written = c;
        } catch (IOException e) {
            log.warn("spool: cannot write the cursor: {}", e.toString());
        }
    }
}
