package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code <state>/audit.jsonl}: one JSON line per {@code vcr recover} run, appended with a single
 * write so concurrent runs of different services never interleave within a line.
 */
public final class AuditLog {
    private final Path file;

    public AuditLog(Path stateDir) {
        this.file = stateDir.resolve("audit.jsonl");
    }

    public Path file() {
        return file;
    }

    public void append(RecoveryReport report) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] line = (report.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
