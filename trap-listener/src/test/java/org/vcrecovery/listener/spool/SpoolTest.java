package org.vcrecovery.listener.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;

class SpoolTest {
    @TempDir
    Path dir;
    final Stats stats = new Stats();

    static TrapperValue value(int i) {
        return new TrapperValue("kvm1", "vcr.vm.state[vm" + (i % 7) + "]", Integer.toString(i), 1_700_000_000L + i, i);
    }

    static List<TrapperValue> readAll(SpoolReader r) throws IOException {
        List<TrapperValue> out = new ArrayList<>();
        List<SpoolRecord> batch;
        while (!(batch = r.read(1000)).isEmpty()) batch.forEach(rec -> out.add(rec.value()));
        return out;
    }

    Spool open(long maxBytes) throws IOException {
        return Spool.open(dir, maxBytes, true, 4096, stats);
    }

    @Test
    void appendedValuesAreReadBackInOrderOnceDurable() throws Exception {
        List<TrapperValue> sent = new ArrayList<>();
        try (Spool s = open(1 << 20)) {
            CompletableFuture<Void> last = null;
            for (int i = 0; i < 5000; i++) {
                sent.add(value(i));
                last = s.append(value(i));
            }
            last.get(10, TimeUnit.SECONDS);
            assertThat(readAll(s.reader())).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void afterAReopenTheReaderStartsAtTheCommittedCursor() throws Exception {
        try (Spool s = open(1 << 20)) {
            for (int i = 0; i < 10; i++) s.append(value(i)).get(5, TimeUnit.SECONDS);
            SpoolReader r = s.reader();
            List<SpoolRecord> first = r.read(4);
            s.commit(first.get(3).next());
        }
        try (Spool s = open(1 << 20)) {
            assertThat(readAll(s.reader())).containsExactly(value(4), value(5), value(6), value(7), value(8), value(9));
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndAppendingContinuesAfterTheLastGoodOne() throws Exception {
        try (Spool s = open(1 << 20)) {
            for (int i = 0; i < 3; i++) s.append(value(i)).get(5, TimeUnit.SECONDS);
        }
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5); // crash in the middle of the third record
        }
        try (Spool s = open(1 << 20)) {
            s.append(value(42)).get(5, TimeUnit.SECONDS);
            assertThat(readAll(s.reader())).containsExactly(value(0), value(1), value(42));
        }
    }

    @Test
    void aLastRecordWithABadCrcIsIgnored() throws Exception {
        try (Spool s = open(1 << 20)) {
            for (int i = 0; i < 3; i++) s.append(value(i)).get(5, TimeUnit.SECONDS);
        }
        Path seg = onlySegment();
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), Files.size(seg) - 1); // flip the last payload byte
        }
        try (Spool s = open(1 << 20)) {
            assertThat(readAll(s.reader())).containsExactly(value(0), value(1));
        }
    }

    @Test
    void aFullSpoolDropsTheOldestUnsentValuesAndCountsThem() throws Exception {
        long max = 1 << 20; // segments of 128 KiB
        int n = 40_000; // ~2.5 MB of records
        try (Spool s = open(max)) {
            CompletableFuture<Void> last = null;
            for (int i = 0; i < n; i++) last = s.append(value(i));
            last.get(20, TimeUnit.SECONDS);
            long onDisk;
            try (Stream<Path> files = Files.list(dir)) {
                onDisk = files.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
            }
            assertThat(onDisk).isLessThanOrEqualTo(max + 256 * 1024);
            List<TrapperValue> left = readAll(s.reader());
            assertThat(stats.valuesDropped.sum() + left.size()).isEqualTo(n);
            assertThat(stats.valuesDropped.sum()).isPositive();
            assertThat(left.get(left.size() - 1)).isEqualTo(value(n - 1));
            // What is left is the newest values, still in order.
            int firstLeft = Integer.parseInt(left.get(0).value());
            for (int i = 0; i < left.size(); i++) assertThat(left.get(i)).isEqualTo(value(firstLeft + i));
        }
    }

    @Test
    void committingPastASegmentDeletesIt() throws Exception {
        try (Spool s = open(1 << 20)) {
            CompletableFuture<Void> last = null;
            for (int i = 0; i < 10_000; i++) last = s.append(value(i));
            last.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 10_000; i++) last = s.append(value(i));
            last.get(10, TimeUnit.SECONDS);
            SpoolReader r = s.reader();
            List<SpoolRecord> all = new ArrayList<>();
            List<SpoolRecord> b;
            while (!(b = r.read(1000)).isEmpty()) all.addAll(b);
            s.commit(all.get(all.size() - 1).next());
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isEqualTo(1);
            }
            assertThat(s.bytes()).isZero();
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
    }
}
