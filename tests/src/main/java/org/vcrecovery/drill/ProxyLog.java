package org.vcrecovery.drill;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox proxy's log as evidence of the legs it adds ({@link ProxyMarks}). Zabbix stamps
 * every line {@code pid:yyyyMMdd:HHmmss.SSS} in local time; the moments the drill needs are logged
 * only at debug level by the data sender and task manager, which {@link Stage} raises at run time
 * ({@code zabbix_proxy -R log_level_increase=...}) for those two processes only.
 */
final class ProxyLog {
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+):(\\d{8}:\\d{6}\\.\\d{3}) (.*)$");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd:HHmmss.SSS");
    private static final Pattern SENT = Pattern.compile("title:'data sender \\[sent ([1-9]\\d*) values");

    record Line(Instant at, String text) {}

    private ProxyLog() {}

    /** The log's lines from byte {@code from} on (the drill notes the size before each failure). */
    static List<Line> read(Path log, long from) throws IOException {
        List<Line> out = new ArrayList<>();
        if (!Files.exists(log)) return out;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            if (from > f.length()) from = 0; // rotated
            f.seek(from);
            byte[] b = new byte[(int) (f.length() - from)];
            f.readFully(b);
            for (String s : new String(b, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = LINE.matcher(s);
                if (m.matches()) out.add(new Line(LocalDateTime.parse(m.group(2), STAMP).atZone(ZoneId.systemDefault()).toInstant(), m.group(3)));
            }
        }
        return out;
    }

    /**
     * The proxy's marks for event {@code eventId} among {@code lines}: the first send of values after
     * {@code since}, the server's reply carrying the action's command (it names the event, or is the
     * literal {@code vcr recover --pending} line, which names none), and the task manager's
     * next {@code zbx_script_execute}.
     */
    static ProxyMarks marks(int run, List<Line> lines, Instant since, String eventId) {
        Instant sent = null, got = null, ran = null;
        for (Line l : lines) {
            if (l.at().isBefore(since)) continue;
            if (sent == null && SENT.matcher(l.text()).find()) sent = l.at();
            if (got == null && eventId != null && l.text().startsWith("zbx_recv_response() ") && l.text().contains("\"tasks\"")
                    && (l.text().contains(eventId) || l.text().contains("recover --pending"))) got = l.at();
            if (got != null && ran == null && !l.at().isBefore(got) && l.text().startsWith("In zbx_script_execute()")) ran = l.at();
        }
        return new ProxyMarks(run, sent, got, ran);
    }
}
