package org.vcrecovery.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcrecovery.drill.Rig;

/**
 * What one chaos run leaves behind to judge, read from where it landed: the audit lines vcr wrote
 * since the run began, the failure's problem event, the listener's log (kept across a restart)
 * with the primary's STOPPED events, the state values Zabbix stored, and whether the service's
 * lock is free. Made when the run begins; reads only.
 */
final class Traces {
    private static final Pattern LOG_LINE = Pattern.compile("^(\\S+) INFO  LibvirtSource - libvirt: (\\S+) (\\S+) .*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Rig rig;
    private final Path audit;
    private final long auditFrom;
    private final StringBuilder listenerLog = new StringBuilder();
    private long listenerFrom;

    Traces(Rig rig) throws IOException {
        this.rig = rig;
        this.audit = rig.auditLog();
        this.auditFrom = Files.exists(audit) ? Files.size(audit) : 0;
        this.listenerFrom = Files.exists(rig.listenerLog()) ? Files.size(rig.listenerLog()) : 0;
    }

    /** Whether vcr wrote a report since the run began. */
    boolean reported() throws IOException {
        return Files.exists(audit) && Files.size(audit) > auditFrom;
    }

    /** The audit lines vcr wrote since the run began. */
    List<JsonNode> auditLines() throws IOException {
        return auditLines(audit, auditFrom);
    }

    /** Keeps what the listener's log said so far: call before it restarts (a restart starts a new log). */
    void keepListenerLog() throws IOException {
        listenerLog.append(tail(rig.listenerLog(), listenerFrom));
        listenerFrom = 0;
    }

    /** The failure's problem event: open in Zabbix (waited for, as a restarted listener may report it late), else from the audit. */
    String eventId(boolean real) throws IOException {
        Instant deadline = Instant.now().plusSeconds(real ? 20 : 0);
        while (real) {
            List<String> ps = rig.problems();
            if (!ps.isEmpty()) return ps.get(ps.size() - 1);
            if (Instant.now().isAfter(deadline)) break;
            Rig.sleep(200);
        }
        for (JsonNode l : auditLines()) if (l.hasNonNull("event_id")) return l.path("event_id").asText();
        return null;
    }

    /** Waits until the service's lock can be taken (no vcr run holds it); false at the deadline. */
    boolean awaitLockFree(Duration max) throws IOException {
        Path f = rig.stateDir().resolve("locks/drill-web.lock");
        Instant deadline = Instant.now().plus(max);
        while (true) {
            if (!Files.exists(f)) return true;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
                if (l != null) return true;
            } catch (OverlappingFileLockException e) {
                // held in this JVM: cannot be
            }
            if (Instant.now().isAfter(deadline)) return false;
            Rig.sleep(50);
        }
    }

    static List<JsonNode> auditLines(Path audit, long from) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : tail(audit, from).split("\n")) {
            if (line.isBlank()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                // a line cut by a crash or a full disk: not a report
            }
        }
        return out;
    }

    private static String tail(Path f, long from) throws IOException {
        if (!Files.exists(f)) return "";
        byte[] b = Files.readAllBytes(f);
        return from >= b.length ? "" : new String(b, (int) from, b.length - (int) from, StandardCharsets.UTF_8);
    }

    /** When the listener logged the primary's STOPPED event(s) during this run. */
    List<Instant> stoppedEvents() throws IOException {
        String text = listenerLog + tail(rig.listenerLog(), listenerFrom);
        List<Instant> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LOG_LINE.matcher(line);
            if (m.matches() && m.group(2).equals(rig.primaryDomain()) && m.group(3).equals("STOPPED")) out.add(Instant.parse(m.group(1)));
        }
        return out;
    }

    /** The state values Zabbix stored since the failure, waiting (up to 20 s: a spool replays) for a 5 near each STOPPED event. */
    List<Observed.Value> stateValues(Instant t0, List<Instant> stopped) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            List<Observed.Value> vs = new ArrayList<>();
            for (Rig.Value v : rig.stateValuesSince(t0.minusSeconds(2))) vs.add(new Observed.Value(v.clock(), v.value()));
            boolean all = stopped.stream().allMatch(s -> Invariants.storedNear(vs, s));
            if (all || Instant.now().isAfter(deadline)) return vs;
            Rig.sleep(250);
        }
    }
}
