package org.vcrecovery.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vcrecovery.drill.Rig;

/**
 * The table of faults {@code tests/chaos} draws from. To add one: a line here (its steps use what
 * {@link Trial} offers) and, when it leaves something behind, its undoing in {@link Trial#restore}.
 */
final class Faults {
    private Faults() {}

    static final List<Fault> ALL = List.of(
            new Fault("none", "no fault: a plain failover (the control)", 0, 0, 0, true, Fault.NOTHING, Fault.NOTHING),
            new Fault("kill-serve", "SIGKILL vcr serve around the action's run; started again after the hold",
                    150, 200, 1500, true, Fault.NOTHING, Faults::killServe),
            new Fault("kill-vcr-fresh", "no vcr serve, so the action starts a fresh vcr JVM: SIGKILL it mid-run",
                    0, 0, 600, true, (t, h) -> t.rig().stopServe(), Faults::killFreshVcr),
            new Fault("kill-listener", "SIGKILL vcr-trap-listener around the failure; started again after the hold (as systemd would)",
                    60, 200, 2000, true, Fault.NOTHING, Faults::killListener),
            new Fault("stop-bind", "SIGSTOP BIND (named) for the hold", 150, 300, 3000, true, Fault.NOTHING,
                    (t, h) -> t.pause(Daemons.BIND, h)),
            new Fault("stop-zabbix-api", "SIGSTOP the PHP server running the Zabbix API for the hold (up to 8 s: past vcr's 5 s API timeouts)", 150, 300, 8000, true,
                    Fault.NOTHING, (t, h) -> t.pause(Daemons.ZABBIX_API, h)),
            new Fault("stop-libvirtd", "SIGSTOP libvirtd for the hold (confirm and fence cannot ask it)", 150, 300, 3000, true,
                    Fault.NOTHING, (t, h) -> t.pause(Daemons.LIBVIRTD, h)),
            new Fault("standby-dies-at-switch", "the standby is killed after its check passed, while vcr's DNS UPDATE is held at the relay",
                    0, 0, 0, true, (t, h) -> t.gate().onNextUpdate(t::killStandby), Fault.NOTHING),
            new Fault("api-dies-at-switch", "the Zabbix API's PHP server is killed as vcr's DNS UPDATE goes out (so the ack is refused); started again by tests/env/up",
                    0, 0, 0, true, (t, h) -> t.gate().onNextUpdate(t::killApi), Fault.NOTHING),
            new Fault("standby-dies-early", "the standby is killed as the primary fails, before vcr can check it",
                    50, 0, 0, true, Fault.NOTHING, (t, h) -> t.killStandby()),
            new Fault("both-paths", "a manual vcr recover --runbook at the same time as the action's run",
                    150, 0, 0, true, Fault.NOTHING, (t, h) -> t.manualRun()),
            new Fault("both-paths-event", "a manual vcr recover --event-id of the same event as soon as Zabbix shows it, racing the action's run",
                    0, 0, 0, true, Fault.NOTHING, (t, h) -> t.manualRunOfEvent()),
            new Fault("state-full", "the state dir is a full tmpfs when the failure happens; freed after the hold",
                    0, 1000, 4000, true, (t, h) -> t.fillStateDir(), (t, h) -> {
                        Rig.sleep(h);
                        t.freeStateDir();
                    }),
            new Fault("false-alarm", "vm.state=shutoff forged into Zabbix while the primary runs and serves (nothing failed)",
                    0, 0, 0, false, Fault.NOTHING, Fault.NOTHING));

    /**
     * The faults of Zabbix's proxy, drawn only with {@code --via-proxy} (the KVM host and the
     * standby monitored by the sandbox's active proxy, as {@code tests/drill --via-proxy} does).
     */
    static final List<Fault> PROXY = List.of(
            new Fault("stop-proxy", "SIGSTOP the Zabbix proxy for the hold: the listener's values and the action's command wait on it"
                    + " (up to 8 s; --via-proxy only)", 150, 300, 8000, true, Fault.NOTHING, (t, h) -> t.pause(Daemons.PROXY, h)));

    /** Every fault a run may draw: {@link #ALL}, and {@link #PROXY} when the scene goes through the proxy. */
    static List<Fault> known(boolean viaProxy) {
        if (!viaProxy) return ALL;
        List<Fault> out = new ArrayList<>(ALL);
        out.addAll(PROXY);
        return List.copyOf(out);
    }

    /**
     * The faults named in {@code csv} (comma-separated), or all that apply when null; unknown names,
     * and a proxy fault without {@code viaProxy}, are an IllegalArgumentException.
     */
    static List<Fault> select(String csv, boolean viaProxy) {
        List<Fault> known = known(viaProxy);
        if (csv == null || csv.isBlank()) return known;
        List<Fault> out = new ArrayList<>();
        for (String n : csv.split(",")) {
            String name = n.trim();
            if (!viaProxy && PROXY.stream().anyMatch(x -> x.name().equals(name))) {
                throw new IllegalArgumentException("--faults: '" + name + "' needs --via-proxy (the scene must go through the proxy)");
            }
            Fault f = known.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "--faults: unknown fault '" + name + "' (known: " + String.join(", ", known(true).stream().map(Fault::name).toList()) + ")"));
            if (!out.contains(f)) out.add(f);
        }
        return out;
    }

    private static void killServe(Trial t, long hold) throws Exception {
        Optional<Long> pid = t.rig().servePid();
        if (pid.isEmpty()) return;
        Daemons.kill(pid.get());
        t.note("vcr serve (pid " + pid.get() + ") killed");
        Rig.sleep(hold);
        t.rig().restartServe();
    }

    /** Waits (up to 5 s) for the fresh vcr recover JVM the action started, then kills it {@code hold} ms after it appeared. */
    private static void killFreshVcr(Trial t, long hold) {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            Optional<ProcessHandle> p = ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().map(c -> c.contains("org.vcrecovery.vcr.Vcr") && c.contains(" recover")
                            && !c.contains(" serve")).orElse(false)).findFirst();
            if (p.isPresent()) {
                Rig.sleep(hold);
                Daemons.kill(p.get().pid());
                t.note("fresh vcr JVM (pid " + p.get().pid() + ") killed " + hold + " ms after it appeared");
                return;
            }
            Rig.sleep(5);
        }
        t.note("no fresh vcr JVM appeared within 5 s");
    }

    private static void killListener(Trial t, long hold) throws Exception {
        Optional<Long> pid = t.rig().listenerPid();
        if (pid.isEmpty()) return;
        t.listenerKilled(pid.get());
        Rig.sleep(hold);
        t.restartListener();
    }
}
