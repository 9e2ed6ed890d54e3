package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the moments of a run from the files the recovery leaves behind: the action wrapper's
 * {@code commands.log} (when the agent ran vcr) and vcr's {@code audit.jsonl} (its report, each
 * step with its start and duration). A file that is missing or has no line for the event gives
 * nothing; a malformed audit line is an IOException.
 */
final class Evidence {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Evidence() {}

    /**
     * The wrapper's line for this event: [epoch.nanos, event id]; or else the first
     * {@code recover --pending} line after {@code from} (what the actions run: it names no event,
     * so the id is {@code eventId}, null when not known).
     */
    static Optional<String[]> command(Path log, long from, String eventId) throws IOException {
        if (!Files.exists(log)) return Optional.empty();
        String text = Files.readString(log);
        Optional<String[]> pending = Optional.empty();
        for (String line : text.substring((int) Math.min(from, text.length())).split("\n")) {
            String[] f = line.split(" ");
            if (pending.isEmpty() && f.length == 3 && f[1].equals("recover") && f[2].equals("--pending")) {
                pending = Optional.of(new String[] {f[0], eventId});
            }
            for (int i = 1; i + 1 < f.length; i++) {
                if (f[i].equals("--event-id") && (eventId == null || f[i + 1].equals(eventId))) {
                    return Optional.of(new String[] {f[0], f[i + 1]});
                }
            }
        }
        return pending;
    }

    static Instant parseEpoch(String s) {
        int dot = s.indexOf('.');
        if (dot < 0) return Instant.ofEpochSecond(Long.parseLong(s));
        String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(s.substring(0, dot)), Long.parseLong(frac));
    }

    /**
     * vcr's audit line for the event, after {@code from}: the first that is neither IN_PROGRESS nor
     * DUPLICATE. Several {@code vcr recover --pending} runs can see the same problem (problems
     * opened together, which 6.0's escalator runs together: 18 runs within 2 s on a fresh 6.0
     * database); those that found it locked write IN_PROGRESS, those after it DUPLICATE, the holder
     * the real outcome. Another line is returned only when none of the holder's came by the deadline.
     */
    static JsonNode auditLine(Path audit, long from, String eventId, Instant deadline) throws IOException {
        JsonNode other = null;
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(audit)) {
                String text = Files.readString(audit);
                for (String line : text.substring((int) Math.min(from, text.length())).split("\n")) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    if (!eventId.equals(n.path("event_id").asText())) continue;
                    String result = n.path("result").asText();
                    if (!result.equals("IN_PROGRESS") && !result.equals("DUPLICATE")) return n;
                    if (other == null) other = n;
                }
            }
            ListenerProcess.sleep(100);
        }
        return other;
    }

    static void marksFromReport(JsonNode r, Map<Mark, Instant> marks) {
        marks.put(Mark.VCR_STARTED, Instant.parse(r.path("started").asText()));
        Instant lastStart = null;
        for (JsonNode s : r.path("steps")) {
            String name = s.path("name").asText();
            Instant begin = Instant.parse(s.path("started").asText());
            Instant end = begin.plusMillis(s.path("millis").asLong());
            boolean ok = s.path("outcome").asText().equals("ok");
            switch (name) {
                case "start", "resume", "address" -> lastStart = ok ? end : null;
                case "check" -> {
                    if (ok) {
                        marks.put(Mark.STANDBY_UP, lastStart != null ? lastStart : begin);
                        marks.put(Mark.PORT_VERIFIED, end);
                    }
                }
                case "dns" -> {
                    if (ok) marks.put(Mark.DNS_SWITCHED, end);
                }
                case "ack" -> {
                    if (ok) marks.put(Mark.ACKNOWLEDGED, end);
                }
                default -> { }
            }
        }
    }

}
