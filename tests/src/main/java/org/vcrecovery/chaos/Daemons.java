package org.vcrecovery.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vcrecovery.drill.Rig;

/**
 * The sandbox's daemons a fault may pause: found by the pid files {@code tests/env} writes in
 * {@code $STATE_DIR/run/NAME.pid} (the Zabbix frontend with its PHP workers). {@link #pause}
 * sends SIGSTOP and remembers the pids; {@link #resumeAll} sends SIGCONT to every pid paused
 * and is also run by a shutdown hook, so a chaos run that dies never leaves a daemon stopped.
 */
final class Daemons {
    /** The daemons by their pid file's name: BIND, the PHP server running the Zabbix API, libvirtd, the proxy. */
    static final String BIND = "named";
    static final String ZABBIX_API = "zabbix-web";
    static final String LIBVIRTD = "libvirtd";
    /** The active Zabbix proxy (tests/env/proxy/up), with its processes. */
    static final String PROXY = "zabbix-proxy";

    private final Path runDir;
    private final Set<Long> paused = new LinkedHashSet<>();

    Daemons(Path stateDir) {
        this.runDir = stateDir.resolve("run");
        Runtime.getRuntime().addShutdownHook(new Thread(this::resumeAll, "chaos-sigcont"));
    }

    /** The daemon's pid and its children's (the PHP server's workers), or empty when it does not run. */
    List<Long> pids(String name) {
        Path f = runDir.resolve(name + ".pid");
        List<Long> out = new ArrayList<>();
        try {
            long pid = Long.parseLong(Files.readString(f).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (h.isEmpty()) return out;
            out.add(pid);
            h.get().descendants().forEach(d -> out.add(d.pid()));
        } catch (IOException | NumberFormatException e) {
            // no such daemon here
        }
        return out;
    }

    /** SIGSTOPs {@code name} (and its children); false when it does not run. */
    synchronized boolean pause(String name) {
        List<Long> ps = pids(name);
        if (ps.isEmpty()) return false;
        paused.addAll(ps);
        signal("STOP", ps);
        return true;
    }

    /** SIGCONTs every process this paused. */
    synchronized void resumeAll() {
        if (paused.isEmpty()) return;
        signal("CONT", new ArrayList<>(paused));
        paused.clear();
    }

    static void kill(long pid) {
        signal("KILL", List.of(pid));
    }

    private static void signal(String sig, List<Long> pids) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        for (long p : pids) cmd.add(Long.toString(p));
        Rig.exec(10, cmd.toArray(String[]::new));
    }

    /** Names of the daemons that should run but do not (a fault must never leave one dead). */
    List<String> missing() {
        List<String> out = new ArrayList<>();
        for (String n : List.of(BIND, ZABBIX_API, LIBVIRTD)) if (pids(n).isEmpty()) out.add(n);
        return out;
    }
}
