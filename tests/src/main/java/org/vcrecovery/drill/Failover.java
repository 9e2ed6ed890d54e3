package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One failover of a {@link Stage}, measured: the failure injected at a random phase of Zabbix's
 * escalator while a poller waits for the problem and a {@link Watcher} resolves the name like a
 * client; then every mark read from where it landed (history, the action's command log, vcr's
 * audit line, vcr serve's log, the event's acknowledgement) and what, if anything, went wrong.
 */
final class Failover {
    static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);
    private static final long ESCALATOR_PERIOD_MS = 3000;

    private final Stage st;

    Failover(Stage stage) {
        this.st = stage;
    }

    RunResult run(int run) throws Exception {
        String itemId = st.zabbix().stateItem(Scene.PRIMARY_VM).orElseThrow().path("itemid").asText();
        Path commands = st.dir().resolve("commands.log");
        long commandsFrom = Files.exists(commands) ? Files.size(commands) : 0;
        long serveFrom = st.server() == null ? 0 : st.server().logSize();
        Path audit = st.state().resolve("audit.jsonl");
        long auditFrom = Files.exists(audit) ? Files.size(audit) : 0;
        long proxyFrom = st.proxy() == null ? 0 : st.proxy().offset();
        AtomicReference<ZabbixSide.Problem> problem = new AtomicReference<>();
        AtomicReference<Instant> problemSeen = new AtomicReference<>();
        Thread poller = new Thread(() -> {
            while (problem.get() == null && !Thread.currentThread().isInterrupted()) {
                try {
                    List<ZabbixSide.Problem> ps = st.zabbix().problems(Scene.PRIMARY_VM);
                    if (!ps.isEmpty()) {
                        problemSeen.set(Instant.now());
                        problem.set(ps.get(0));
                        return;
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the API hiccupped: ask again
                }
            }
        }, "problem-poller");
        poller.setDaemon(true);

        // Zabbix's escalator wakes every 3 s: back-to-back runs would fall into step with it and
        // measure one phase only. A random pause makes each failure arrive at a random phase.
        ListenerProcess.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(ESCALATOR_PERIOD_MS));
        st.progress().say("run " + run + "/" + st.runs() + ": injecting the failure: destroying " + Scene.PRIMARY_VM
                + (st.viaSnmp() ? " and sending a libvirt-snmp trap" : "") + ", stopping its service");
        poller.start();
        Instant t0 = st.scene().inject(() -> {
            if (st.viaSnmp()) st.trap(5);
        });
        Watcher watcher = new Watcher(st.scene()::resolve, Scene.PORT);
        Instant clientOk = watcher.await(st.scene().standbyAddress(), t0.plus(RECOVERY_DEADLINE), st.progress(), t0);
        poller.join(clientOk == null ? 1000 : 10_000);
        poller.interrupt();

        Map<Mark, Instant> marks = new EnumMap<>(Mark.class);
        marks.put(Mark.INJECTED, t0);
        st.zabbix().firstValue(itemId, "5", t0.minusMillis(1)).ifPresent(t -> marks.put(Mark.LISTENER_SAW, t));
        String eventId = problem.get() == null ? null : problem.get().eventId();
        Optional<String[]> cmd = Evidence.command(commands, commandsFrom, eventId);
        if (eventId == null && cmd.isPresent()) eventId = cmd.get()[1];
        cmd.ifPresent(c -> marks.put(Mark.COMMAND_RAN, Evidence.parseEpoch(c[0])));
        if (problemSeen.get() != null) {
            Instant seen = problemSeen.get();
            Instant ran = marks.get(Mark.COMMAND_RAN);
            marks.put(Mark.PROBLEM, ran != null && ran.isBefore(seen) ? ran : seen);
        }
        JsonNode report = eventId == null ? null : Evidence.auditLine(audit, auditFrom, eventId, Instant.now().plusSeconds(20));
        String vcrResult = null;
        if (report != null) {
            vcrResult = report.path("result").asText();
            Evidence.marksFromReport(report, marks);
        }
        if (st.proxy() != null) st.proxyMarks().add(st.proxy().marks(run, proxyFrom, marks.getOrDefault(Mark.LISTENER_SAW, t0), eventId));
        VcrRun how = howVcrRan(eventId, serveFrom, report != null);
        boolean acked = eventId != null && acknowledged(eventId, Instant.now().plusSeconds(10));
        List<String> answer = st.scene().resolve();
        boolean port = watcher.answers(st.scene().standbyAddress());
        String failure = null;
        if (clientOk == null) failure = "clients did not reach the standby within " + RECOVERY_DEADLINE.toSeconds() + " s (DNS says " + answer + ")";
        else if (!answer.equals(List.of(st.scene().standbyAddress()))) failure = "DNS answers " + answer + ", not the standby";
        else if (!port) failure = "the standby's port stopped answering";
        else if (eventId == null) failure = "no Zabbix problem event was seen";
        else if (report == null) failure = "vcr recover left no report for event " + eventId + " in " + audit + lastStderr();
        else if (!"OK".equals(vcrResult)) failure = "vcr recover ended " + vcrResult + ": " + report.path("headline").asText();
        else if (!acked) failure = "event " + eventId + " is not acknowledged with the step list";
        if (failure != null && cmd.isEmpty()) failure += "; the action never ran " + st.dir().resolve("bin/vcr") + " (see "
                + st.env().get("STATE_DIR") + "/log/zabbix_server.log and Zabbix's action log)";
        return new RunResult(run, eventId, marks, clientOk, String.join(",", answer), port, acked, vcrResult, failure, how);
    }



    /**
     * Whether vcr serve ran this run: its line for the event, written right after the run (so
     * after the audit line the drill already has); no line within 5 s means bin/vcr ran a fresh JVM.
     */
    private VcrRun howVcrRan(String eventId, long serveFrom, boolean reported) throws IOException {
        if (st.server() == null) return VcrRun.freshJvm();
        if (eventId == null) return VcrRun.notServed("no event seen, so no run of vcr serve to look for");
        Optional<ServeProcess.Run> r = st.server().run(eventId, serveFrom, Instant.now().plusSeconds(reported ? 5 : 1));
        if (r.isPresent()) return VcrRun.served(r.get().millis());
        String where = !st.server().alive() ? "vcr serve is no longer running (" + st.server().tail() + ")"
                : "vcr serve has no line for event " + eventId + " in " + ServeProcess.log(st.dir());
        return VcrRun.notServed(where + (reported ? ": bin/vcr ran it as a fresh JVM" : ""));
    }



    /** The last line vcr printed on stderr (kept by the wrapper), as a suffix for a failure message. */
    private String lastStderr() throws IOException {
        Path f = st.dir().resolve("vcr-stderr.log");
        if (!Files.exists(f)) return "";
        List<String> lines = Files.readAllLines(f);
        return lines.isEmpty() ? "" : "; its last error: " + lines.get(lines.size() - 1);
    }



    /** Polls event.get until the event is acknowledged with the step list (check and dns lines). */
    private boolean acknowledged(String eventId, Instant deadline) {
        while (true) {
            JsonNode e = st.zabbix().event(eventId);
            if (e.path("acknowledged").asText().equals("1")) {
                for (JsonNode a : e.path("acknowledges")) {
                    String msg = a.path("message").asText();
                    if (msg.contains("\ncheck ok") && msg.contains("\ndns ok")) return true;
                }
            }
            if (Instant.now().isAfter(deadline)) return false;
            ListenerProcess.sleep(200);
        }
    }


}
