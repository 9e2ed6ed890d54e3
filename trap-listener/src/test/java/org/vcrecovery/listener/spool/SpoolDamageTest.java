package org.vcrecovery.listener.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;

/** Damaged spool directories: stray bytes in any segment, and a directory two spools want. */
class SpoolDamageTest {
    @TempDir
    Path dir;
    final Stats stats = new Stats();

    Spool open() throws IOException {
        return Spool.open(dir, 1 << 20, true, 4096, stats); // 128 KiB segments
    }

    /** Writes values until there are three segments; returns them in order. */
    List<TrapperValue> fillThreeSegments() throws Exception {
        List<TrapperValue> sent = new ArrayList<>();
        try (Spool s = open()) {
            for (int i = 0; segments().size() < 3; ) {
                java.util.concurrent.CompletableFuture<Void> last = null;
                for (int end = i + 500; i < end; i++) {
                    sent.add(SpoolTest.value(i));
                    last = s.append(SpoolTest.value(i));
                }
                last.get(10, TimeUnit.SECONDS);
            }
        }
        return sent;
    }

    List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x", "xxxxx", "xxxxxxx", "header-past-eof", "header-and-part-of-a-record"})
    void strayBytesAtTheEndOfANonLastSegmentAreSkippedAndEverythingElseIsReadAfterARestart(String kind) throws Exception {
        List<TrapperValue> sent = fillThreeSegments();
        Path first = segments().get(0);
        byte[] junk = switch (kind) {
            case "header-past-eof" -> ByteBuffer.allocate(8).putInt(4000).putInt(0x1234).array();
            case "header-and-part-of-a-record" -> ByteBuffer.allocate(20).putInt(100).putInt(0x1234).put(new byte[12]).array();
            default -> kind.getBytes();
        };
        Files.write(first, junk, StandardOpenOption.APPEND);
        try (Spool s = open()) {
            s.append(SpoolTest.value(999_999)).get(10, TimeUnit.SECONDS);
            List<TrapperValue> got = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SpoolTest.readAll(s.reader()),
                    "the reader must not spin on the stray bytes");
            List<TrapperValue> want = new ArrayList<>(sent);
            want.add(SpoolTest.value(999_999));
            assertThat(got).containsExactlyElementsOf(want);
        }
    }

    @Test
    void aSecondSpoolOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
        Spool s = open();
        try {
            assertThatThrownBy(this::open).isInstanceOf(IOException.class)
                    .hasMessage("spool directory " + dir + " is in use by another vcr-trap-listener (pid " + ProcessHandle.current().pid()
                            + "): give each listener its own spool.dir");
            s.append(SpoolTest.value(1)).get(10, TimeUnit.SECONDS); // the first one is unharmed
        } finally {
            s.close();
        }
        try (Spool again = open()) {
            assertThat(SpoolTest.readAll(again.reader())).containsExactly(SpoolTest.value(1));
        }
    }
}
