package org.vcrecovery.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tests/drill --scenario host-down-held --vms N}: the approval drill. The KVM host dies
 * while automatic recovery is switched off (the kill switch file in vcr's state dir) and VM 2's
 * own Zabbix host is in maintenance. The host-down action's run must hold the whole host (its
 * event annotated "held: ...", no name moved); the operator then runs the host menu's line
 * {@code vcr approve --held}, which must recover every VM but VM 2 (left alone: in maintenance)
 * and acknowledge the host's event with the summary. Prints each check; exit 0 when all held.
 */
final class HostDownHeld {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Scenario.Context ctx;
    private final HostDownScene scene;
    private final HostSignals host;
    private final ZabbixSide z;
    private final Map<String, String> vmHosts;

    HostDownHeld(Scenario.Context ctx, HostDownScene scene, HostSignals host, ZabbixSide z, Map<String, String> vmHosts) {
        this.ctx = ctx;
        this.scene = scene;
        this.host = host;
        this.z = z;
        this.vmHosts = vmHosts;
    }

    /** The VM whose Zabbix host is in maintenance: 2 (1 when there is only one VM). */
    private int maintained() {
        return Math.min(2, scene.vms());
    }

    int run() throws Exception {
        Progress progress = ctx.progress();
        progress.say("resetting " + scene.vms() + " VMs");
        Instant resetAt = Instant.now();
        scene.reset();
        host.up(progress);
        HostDownScenario.armed(z, progress, resetAt);
        int m = maintained();
        String maintenance = z.maintenance("vcr drill: " + scene.name(m), List.of(vmHosts.get(scene.name(m))));
        Path killSwitch = ctx.dir().resolve("state/disabled");
        Files.createDirectories(killSwitch.getParent());
        Files.writeString(killSwitch, "tests/drill --scenario host-down-held: automatic recovery off\n");
        List<String> checks = new ArrayList<>();
        boolean ok;
        try {
            progress.say("kill switch on (" + killSwitch + "), " + scene.name(m) + "'s Zabbix host in maintenance; killing KVM host "
                    + HostDownScene.KVM_HOST);
            Instant t0 = Instant.now();
            host.kill();
            scene.killVms();
            String eventId = awaitProblem(t0);
            String heldAck = eventId == null ? null : message(eventId, "vcr: host-down." + HostDownScene.KVM_HOST + " held: ", t0.plus(DEADLINE));
            List<Integer> moved = movedAway();
            ok = check(checks, eventId != null, "the host's problem opened" + (eventId == null ? "" : " (event " + eventId + ")"))
                    & check(checks, heldAck != null, "the action's run held the host: " + (heldAck == null ? "no held message" : firstLine(heldAck)))
                    & check(checks, moved.isEmpty(), "no name moved while held" + (moved.isEmpty() ? "" : ": " + names(moved) + " did"));

            progress.say("the operator approves: bin/vcr approve --held");
            long a0 = System.nanoTime();
            Sh.Result approve = Sh.run(ctx.dir(), 120, List.of(ctx.dir().resolve("bin/vcr").toString(), "approve", "--held"));
            long approveMs = (System.nanoTime() - a0) / 1_000_000;
            for (String line : approve.out().split("\n")) if (!line.isBlank()) progress.say("  " + line);
            ok &= check(checks, approve.code() == 0, "vcr approve --held exited " + approve.code() + " in " + approveMs + " ms");

            List<Integer> waiting = new ArrayList<>();
            for (int i = 1; i <= scene.vms(); i++) if (i != m) waiting.add(i);
            Instant deadline = Instant.now().plus(DEADLINE);
            while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
                waiting.removeIf(i -> scene.resolve(i).equals(List.of(scene.standbyAddress(i)))
                        && new Watcher(List::of, HostDownScene.PORT).answers(scene.standbyAddress(i)));
                if (!waiting.isEmpty()) ListenerProcess.sleep(50);
            }
            ok &= check(checks, waiting.isEmpty(), (scene.vms() - 1 - waiting.size()) + " of " + (scene.vms() - 1)
                    + " VMs answer on their standby by name" + (waiting.isEmpty() ? "" : "; not: " + names(waiting)));
            ok &= check(checks, scene.resolve(m).equals(List.of(scene.primaryAddress(m))), scene.name(m)
                    + " (in maintenance) left alone: its name still on its primary " + scene.primaryAddress(m));
            String summary = eventId == null ? null : message(eventId, "vcr: host-down ", Instant.now().plusSeconds(10));
            String want = "vcr: host-down " + HostDownScene.KVM_HOST + ": " + (scene.vms() - 1) + " of " + (scene.vms() - 1)
                    + " VMs recovered, 1 in maintenance left alone in ";
            ok &= check(checks, summary != null && summary.startsWith(want), "the host's event got the summary: "
                    + (summary == null ? "none" : firstLine(summary)));
        } finally {
            Files.deleteIfExists(killSwitch);
            z.call("maintenance.delete", List.of(maintenance));
        }
        for (String c : checks) ctx.out().println(c);
        ctx.out().println(ok ? "host-down-held: every check passed" : "host-down-held: A CHECK FAILED");
        if (ctx.json() != null) {
            Drill.write(ctx.json(), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
                    "scenario", "host-down-held", "vms", scene.vms(), "ok", ok, "checks", checks)), "rw-r--r--");
        }
        return ok ? 0 : 1;
    }

    private static boolean check(List<String> checks, boolean ok, String what) {
        checks.add((ok ? "ok   " : "FAIL ") + what);
        return ok;
    }

    private String awaitProblem(Instant t0) {
        Instant deadline = t0.plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            List<ZabbixSide.Problem> ps = HostDownScenario.problems(z);
            if (!ps.isEmpty()) return ps.get(0).eventId();
            ListenerProcess.sleep(200);
        }
        return null;
    }

    /** The event's first vcr message starting with {@code prefix}, polled until the deadline; null when none came. */
    private String message(String eventId, String prefix, Instant deadline) {
        while (true) {
            for (var a : z.event(eventId).path("acknowledges")) {
                String msg = a.path("message").asText();
                if (msg.startsWith(prefix)) return msg;
            }
            if (Instant.now().isAfter(deadline)) return null;
            ListenerProcess.sleep(200);
        }
    }

    private List<Integer> movedAway() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= scene.vms(); i++) if (!scene.resolve(i).equals(List.of(scene.primaryAddress(i)))) out.add(i);
        return out;
    }

    private String names(List<Integer> vms) {
        return String.join(", ", vms.stream().map(scene::name).toList());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
