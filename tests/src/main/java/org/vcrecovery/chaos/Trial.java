package org.vcrecovery.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vcrecovery.drill.Rig;

/**
 * One chaos run: arms the drill's scene, fails the primary (or forges a false alarm), fires the
 * planned fault at its moment while an outside watcher records every answer of the service's
 * name, restores whatever the fault broke, reruns the recovery as an operator would, and
 * collects what {@link Invariants} judges ({@link Traces}). {@link #restore} always runs.
 */
final class Trial {
    /**
     * How long after its fault is over a run may still settle: the action's run comes ~1.5 s after
     * a failure direct, ~3 s through the proxy (its data and task round trips).
     */
    private static Duration settle(Rig rig) {
        return Duration.ofSeconds(rig.viaProxy() ? 6 : 4);
    }
    private static final Duration HARD_END = Duration.ofSeconds(40);

    private final Rig rig;
    private final Daemons daemons;
    private final DnsGate gate;
    private final Path repo;
    private final Plan.Entry entry;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private Traces traces;
    private volatile Instant listenerKilled;
    private volatile boolean standbyKilled;
    private volatile boolean stateMounted;
    private volatile boolean apiKilled;
    private final List<JsonNode> capturedAudit = Collections.synchronizedList(new ArrayList<>());

    Trial(Rig rig, Daemons daemons, DnsGate gate, Path repo, Plan.Entry entry) {
        this.rig = rig;
        this.daemons = daemons;
        this.gate = gate;
        this.repo = repo;
        this.entry = entry;
    }

    Rig rig() {
        return rig;
    }

    DnsGate gate() {
        return gate;
    }

    Plan.Entry entry() {
        return entry;
    }

    void note(String s) {
        notes.add(s);
    }

    Observed run() throws Exception {
        rig.arm(entry.run());
        traces = new Traces(rig);
        Fault f = entry.fault();
        Instant t0;
        List<Observed.Seen> seen = new ArrayList<>();
        try {
            f.prepare().run(this, entry.holdMs());
            t0 = f.realFailure() ? rig.failPrimary() : forgeFailure();
            Thread ft = new Thread(() -> {
                try {
                    Rig.sleep(entry.delayMs());
                    f.fire().run(this, entry.holdMs());
                } catch (Exception | Error e) {
                    note("fault step failed: " + e);
                }
            }, "chaos-fault");
            ft.setDaemon(true);
            ft.start();
            watch(t0, ft, seen, f.realFailure());
            ft.join(HARD_END.toMillis());
        } finally {
            restore();
        }
        String eventId = traces.eventId(f.realFailure());
        Integer rerunExit = null;
        String rerunOut = null;
        traces.awaitLockFree(Duration.ofSeconds(60));
        List<String> beforeRerun = rig.resolve();
        if (f.realFailure() && eventId != null) {
            for (int i = 0; i < 3; i++) {
                Rig.Exec r = Rig.exec(90, rig.wrapper().toString(), "recover", "--event-id", eventId, "--vm", rig.primaryDomain());
                rerunExit = r.code();
                rerunOut = r.out();
                if (r.code() != 9) break; // 9: another run holds the lock (the action's, late): ask again once it is done
                traces.awaitLockFree(Duration.ofSeconds(60));
            }
        }
        List<String> finalDns = rig.resolve();
        boolean standbyUp = rig.answers(rig.standbyAddress());
        boolean primaryUp = rig.primaryActive() && rig.answers(rig.primaryAddress());
        boolean lockFree = traces.awaitLockFree(Duration.ofSeconds(5));
        boolean acked = false;
        List<String> acks = new ArrayList<>();
        if (eventId != null) {
            JsonNode e = rig.event(eventId);
            acked = e.path("acknowledged").asText().equals("1");
            for (JsonNode a : e.path("acknowledges")) acks.add(a.path("message").asText());
        }
        List<JsonNode> lines = new ArrayList<>(capturedAudit);
        lines.addAll(traces.auditLines());
        List<Instant> stopped = traces.stoppedEvents();
        List<Observed.Value> values = stopped.isEmpty() ? List.of() : traces.stateValues(t0, stopped);
        boolean unfenced = Files.readString(rig.runbook()).contains("allow-unfenced: true");
        return new Observed(entry, t0, eventId, seen, beforeRerun, finalDns, standbyUp, primaryUp, lockFree, acked, acks, lines,
                rerunExit, rerunOut, stopped, values, listenerKilled, unfenced, new ArrayList<>(notes));
    }

    /** Watches the name until the run settled: the fault is over and vcr wrote its report (or {@link #settle} passed). */
    private void watch(Instant t0, Thread ft, List<Observed.Seen> seen, boolean real) throws IOException {
        List<String> last = List.of(rig.primaryAddress());
        Instant faultOver = null;
        while (Instant.now().isBefore(t0.plus(HARD_END))) {
            List<String> a = rig.resolve();
            if (!a.isEmpty() && !a.equals(last)) {
                boolean up = a.size() == 1 && rig.answers(a.get(0));
                Boolean active;
                try {
                    active = rig.primaryActive();
                } catch (RuntimeException e) {
                    active = null;
                }
                seen.add(new Observed.Seen(Instant.now(), a, up, active));
                last = a;
            }
            if (!ft.isAlive()) {
                if (faultOver == null) faultOver = Instant.now();
                boolean reported = traces.reported();
                if (reported && (!real || a.equals(List.of(rig.standbyAddress())))) return;
                if (Instant.now().isAfter(faultOver.plus(settle(rig)))) return;
            }
            Rig.sleep(20);
        }
        note("the run had not settled " + HARD_END.toSeconds() + " s after the failure");
    }

    /** Undoes whatever a fault may have done; safe to run whatever happened. */
    void restore() throws IOException {
        gate.disarm();
        daemons.resumeAll();
        freeStateDir();
        if (rig.servePid().isEmpty()) rig.restartServe();
        if (rig.listenerPid().isEmpty()) restartListener();
        if (apiKilled) {
            Rig.Exec r = Rig.exec(300, repo.resolve("tests/env/up").toString());
            if (!r.ok()) note("tests/env/up did not bring the Zabbix API back (exit " + r.code() + ")");
            apiKilled = false;
        }
        if (standbyKilled) {
            Rig.Exec r = Rig.exec(60, repo.resolve("tests/env/lxc-service").toString(), "--start", rig.standbyContainer(),
                    rig.standbyAddress(), "8080", "http");
            if (!r.ok()) note("restarting the standby failed: " + r.out());
            standbyKilled = false;
        }
    }

    // ---------------------------------------------------------------- fault steps

    /** SIGSTOPs daemon {@code name} for {@code holdMs}, then SIGCONTs it. */
    void pause(String name, long holdMs) {
        if (!daemons.pause(name)) {
            note(name + " is not running: not paused");
            return;
        }
        try {
            Rig.sleep(holdMs);
        } finally {
            daemons.resumeAll();
        }
    }

    /** Kills the standby's service at once (its container's init: SIGKILL). */
    void killStandby() {
        Rig.Exec p = Rig.exec(10, "lxc-info", "-P", rig.lxcPath(), "-n", rig.standbyContainer(), "-pH");
        standbyKilled = true;
        if (!p.ok() || p.out().isBlank()) {
            note("standby " + rig.standbyContainer() + " had no init pid to kill: " + p.out());
            return;
        }
        Daemons.kill(Long.parseLong(p.out().trim()));
        note("standby " + rig.standbyContainer() + " killed");
    }

    /** Kills the PHP server running the Zabbix API and its workers (restore brings it back with tests/env/up). */
    void killApi() {
        List<Long> pids = daemons.pids(Daemons.ZABBIX_API);
        apiKilled = true;
        for (long p : pids) Daemons.kill(p);
        note("Zabbix API killed (" + pids.size() + " processes)");
    }

    /** An operator's vcr recover --runbook of the same service, by hand, at the same time as the action's. */
    void manualRun() {
        Rig.Exec r = Rig.exec(90, rig.wrapper().toString(), "recover", "--runbook", "drill-web");
        note("manual vcr recover --runbook drill-web: exit " + r.code());
    }

    /** As an operator reacting to the problem: vcr recover --event-id E as soon as the problem shows (up to 5 s). */
    void manualRunOfEvent() {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            List<String> ps = rig.problems();
            if (!ps.isEmpty()) {
                String e = ps.get(ps.size() - 1);
                Rig.Exec r = Rig.exec(90, rig.wrapper().toString(), "recover", "--event-id", e, "--vm", rig.primaryDomain());
                note("manual vcr recover --event-id " + e + ": exit " + r.code());
                return;
            }
            Rig.sleep(10);
        }
        note("no problem showed within 5 s: no manual run");
    }

    void listenerKilled(long pid) throws IOException {
        Daemons.kill(pid);
        listenerKilled = Instant.now();
        note("listener (pid " + pid + ") killed");
    }

    /** Restarts the listener, keeping what its log said so far (a restart starts a new log). */
    void restartListener() throws IOException {
        if (traces != null) traces.keepListenerLog();
        rig.restartListener();
    }

    /** Mounts a small tmpfs over the state dir and fills it. */
    void fillStateDir() {
        Path s = rig.stateDir();
        Rig.Exec m = Rig.exec(10, "mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "vcr-chaos-full", s.toString());
        if (!m.ok()) {
            note("mounting a tmpfs on " + s + " failed: " + m.out());
            return;
        }
        stateMounted = true;
        Rig.exec(10, "dd", "if=/dev/zero", "of=" + s.resolve("filler"), "bs=4096");
        note("state dir full (tmpfs)");
    }

    /** Unmounts the full tmpfs, keeping the audit lines written there. */
    void freeStateDir() throws IOException {
        if (!stateMounted) return;
        capturedAudit.addAll(Traces.auditLines(rig.auditLog(), 0));
        Rig.Exec u = Rig.exec(10, "umount", "-l", rig.stateDir().toString());
        if (!u.ok()) note("umount " + rig.stateDir() + " failed: " + u.out());
        stateMounted = false;
    }

    private Instant forgeFailure() {
        String trapper = rig.env("ZABBIX_TRAPPER");
        int c = trapper.lastIndexOf(':');
        Instant t0 = Instant.now();
        Rig.Exec r = Rig.exec(10, rig.env("ZABBIX_SENDER"), "-z", trapper.substring(0, c), "-p", trapper.substring(c + 1),
                "-s", rig.kvmHost(), "-k", "vcr.vm.state[" + rig.primaryDomain() + "]", "-o", "5");
        note("forged vcr.vm.state=5: " + (r.ok() ? "sent" : "zabbix_sender failed: " + r.out()));
        return t0;
    }
}
