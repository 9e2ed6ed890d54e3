package org.vcrecovery.vcr.rebalance;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.breaker.FailureWindow;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.Arguments;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.DnsPort;
import org.vcrecovery.vcr.recover.DnsUpdaterPort;
import org.vcrecovery.vcr.recover.RecoveryReport;
import org.vcrecovery.vcr.recover.ZabbixApiPort;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookCommand;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * Runs a {@link RebalanceRequest}: validates it, reads where every service runs (each runbook's
 * record at its DNS server) and the recovery VMs' CPU averages (Zabbix), asks {@link Chooser} what
 * to move, prints the plan ({@code --plan}) or has {@link Mover} move each service, and prints one
 * summary line (or JSON report) per move. The exit code is the first move's that was not OK, or a
 * refusal's (USAGE, NOT_ON_HOST, NO_TARGET), each with one line on stderr and nothing changed.
 *
 * <p>{@code --pending} is what the Zabbix action runs: it acts only when Zabbix has an open,
 * unacknowledged, unsuppressed CPU-high problem (tag {@code vcrecovery=rebalance}: Zabbix compared the
 * moving average, not one sample, with the VM's threshold) on {@code --from} (or on each recovery VM
 * the runbooks name) and that VM's CPU average, read again, is recent; the kill switch
 * and an open circuit breaker (as many services failed inside its window as its limit: a storm is
 * going on) hold it (HELD). What was done goes on the problem as a message (not an acknowledgement:
 * the action repeats every minute while the problem lasts, and an operator's acknowledgement stops it). By hand (no
 * {@code --pending}) the operator decides: no problem needed, no kill switch.
 */
public final class RebalanceRun {
    private RebalanceRun() {}

    /** The outside world, replaceable by tests. */
    record Ports(Function<VcrConfig, RebalanceZabbix> zabbix, Function<Runbook, DnsPort> dns, StandbyBackends backends,
                 ServiceChecker checker, Mover.Sleeper sleeper) {
        static Ports real() {
            return new Ports(c -> new ZabbixRebalancePort(ZabbixApiPort.client(c.zabbix(), ZabbixApiPort.secret(c.zabbix()))),
                    rb -> DnsUpdaterPort.open(rb.dns(), rb.limits().dnsTimeout(), rb.limits().retries()),
                    StandbyBackends.installed(), new ServiceChecker(), d -> Thread.sleep(d.toMillis()));
        }
    }

    static int execute(RebalanceRequest q, PrintWriter out, PrintWriter err) {
        return execute(q, out, err, Ports.real());
    }

    static int execute(RebalanceRequest q, PrintWriter out, PrintWriter err, Ports ports) {
        String from = Arguments.name("--from", q.from());
        if (from == null && !q.pending()) {
            throw new VcrException(ExitCode.USAGE, "--from HOST is required (or --pending): the recovery VM (its Zabbix host) to unload;"
                    + " nothing was changed");
        }
        String service = Arguments.name("--service", q.service());
        if (q.max() < 1) throw new VcrException(ExitCode.USAGE, "--max: " + q.max() + " is not a number of services (at least 1); nothing was changed");
        if (!(q.maxLoad() > 0 && q.maxLoad() <= 100)) {
            throw new VcrException(ExitCode.USAGE, "--max-load: " + q.maxLoad() + " is not a CPU % in (0, 100]; nothing was changed");
        }
        if (q.drain() != null && q.drain().isNegative()) throw new VcrException(ExitCode.USAGE, "--drain: negative; nothing was changed");
        VcrConfig cfg = ConfigOptions.of(q.config(), q.runbooks(), q.stateDir()).load(q.environment());
        if (q.pending() && cfg.zabbix() == null) {
            throw new VcrException(ExitCode.USAGE, "--pending reads the CPU-high problem from the Zabbix API, and vcr.yaml has no"
                    + " zabbix section; nothing was changed");
        }
        List<Runbook> runbooks = runbooks(cfg.runbookDir());
        RebalanceZabbix zabbix = cfg.zabbix() == null ? null : ports.zabbix().apply(cfg);
        try {
            if (!q.pending() || from != null) return run(q, from, service, cfg, runbooks, zabbix, ports, out, err);
            // --pending alone (the action's literal line): every recovery VM the runbooks name, each with an open problem.
            TreeSet<String> hosts = new TreeSet<>();
            for (Runbook rb : runbooks) for (Runbook.Standby s : rb.standbys()) if (s.zabbixHost() != null) hosts.add(s.zabbixHost());
            int exit = ExitCode.OK.code();
            int acted = 0;
            for (String h : hosts) {
                String event = problem(zabbix, h);
                if (event == null) continue;
                acted++;
                int e = run(q, h, service, cfg, runbooks, zabbix, ports, out, err);
                if (exit == 0 && e != 0) exit = e;
            }
            if (acted == 0) {
                out.println("no open CPU-high problem in Zabbix (open, unacknowledged, not suppressed) on the " + hosts.size()
                        + " recovery VMs the runbooks name: nothing moved");
                // "show rebalance plan" in the host menu: the picture anyway.
                if (q.plan()) for (String l : Placements.describe(null, Placements.read(runbooks, ports.dns()), loads(zabbix, runbooks, err))) out.println(l);
            }
            return exit;
        } finally {
            if (zabbix != null) zabbix.close();
            out.flush();
            err.flush();
        }
    }

    private static int run(RebalanceRequest q, String from, String service, VcrConfig cfg, List<Runbook> runbooks,
                           RebalanceZabbix zabbix, Ports ports, PrintWriter out, PrintWriter err) {
        String event = null;
        if (q.pending()) {
            event = problem(zabbix, from);
            if (event == null) {
                out.println("no open CPU-high problem on " + from + " in Zabbix (open, unacknowledged, not suppressed):"
                        + " nothing moved");
                return ExitCode.OK.code();
            }
            Optional<String> held = held(cfg, zabbix, err);
            if (held.isPresent()) return refuse(ExitCode.HELD, held.get(), event, zabbix, out, err);
        }
        Loads loads = loads(zabbix, runbooks, err);
        if (q.pending() && loads.of(from).isEmpty()) {
            // Zabbix opened the problem on the average; a VM whose average is no longer reported is not confirmed overloaded.
            {
                String why = "not confirmed: " + from + "'s CPU average (" + RebalanceZabbix.CPU_AVG + ") has no recent value"
                        + " in Zabbix; nothing moved";
                out.println(why);
                ack(zabbix, event, "vcr rebalance: " + why, err);
                return ExitCode.OK.code();
            }
        }
        List<Placement> placements = Placements.read(runbooks, ports.dns());
        Chooser.Choice c = new Chooser(q.maxLoad(), q.max()).choose(from, service, placements, loads, usable(ports.backends()));
        if (c.refused()) return refuse(c.refusal(), c.why(), event, zabbix, out, err);
        Mover mover = new Mover(cfg.stateDir(), ports.dns(), ports.backends(), ports.checker(), ports.sleeper(), q.drain());
        if (q.plan()) {
            out.println("PLAN ONLY: nothing will be changed.");
            for (String line : Placements.describe(from, placements, loads)) out.println(line);
            for (Move m : c.moves()) for (String line : plan(m, mover)) out.println(line);
            return ExitCode.OK.code();
        }
        int exit = ExitCode.OK.code();
        List<String> acks = new ArrayList<>();
        for (Move m : c.moves()) {
            RecoveryReport r = mover.move(m, event);
            out.println(q.json() ? r.toJson() : r.summary());
            out.flush();
            acks.add(r.ackMessage());
            if (exit == 0 && r.exitCode() != ExitCode.OK) exit = r.exitCode().code();
        }
        ack(zabbix, event, String.join("\n", acks), err);
        return exit;
    }

    /** The open CPU-high problem of {@code host}: its event id, or null. */
    private static String problem(RebalanceZabbix zabbix, String host) {
        try {
            return zabbix.openProblem(host).orElse(null);
        } catch (IOException e) {
            throw new VcrException(ExitCode.UNREACHABLE, "asking Zabbix for the CPU-high problem of " + host + ": "
                    + e.getMessage() + "; nothing was changed", e);
        }
    }

    private static List<Runbook> runbooks(Path dir) {
        List<Runbook> out = new ArrayList<>();
        for (Path p : new RunbookCatalog(dir).files()) out.add(RunbookCommand.load(p));
        return out;
    }

    /** The kill switch or an open breaker, as a held headline. */
    private static Optional<String> held(VcrConfig cfg, RebalanceZabbix zabbix, PrintWriter err) {
        Optional<String> off = KillSwitch.byFile(cfg.stateDir());
        if (off.isEmpty()) {
            try {
                off = KillSwitch.byMacro(zabbix.globalMacro(KillSwitch.MACRO));
            } catch (IOException e) {
                err.println("vcr: kill switch macro " + KillSwitch.MACRO + " unknown (" + e.getMessage() + "): treated as on");
            }
        }
        if (off.isPresent()) return Optional.of("held: " + off.get() + "; run vcr rebalance by hand to move anyway");
        try {
            int n = new FailureWindow(cfg.stateDir()).failures(cfg.breaker(), DedupLog.Now.system());
            if (n >= cfg.breaker().limit()) {
                return Optional.of("held: " + n + " services failed in the last " + cfg.breaker().window().toSeconds()
                        + " s (breaker limit " + cfg.breaker().limit() + "): no moves during a storm; run by hand to move anyway");
            }
        } catch (IOException e) {
            return Optional.of("held: the circuit breaker cannot count failures (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private static Loads loads(RebalanceZabbix zabbix, List<Runbook> runbooks, PrintWriter err) {
        if (zabbix == null) return Loads.UNMEASURED;
        TreeSet<String> hosts = new TreeSet<>();
        for (Runbook rb : runbooks) for (Runbook.Standby s : rb.standbys()) if (s.zabbixHost() != null) hosts.add(s.zabbixHost());
        try {
            return Loads.measured(zabbix.cpu(hosts));
        } catch (IOException e) {
            throw new VcrException(ExitCode.UNREACHABLE, "asking Zabbix for the recovery VMs' CPU (" + RebalanceZabbix.CPU_AVG + "): "
                    + e.getMessage() + "; nothing was changed", e);
        }
    }

    /** Why a standby cannot be a target: its backend does not have it, or cannot be asked. */
    static Function<Runbook.Standby, String> usable(StandbyBackends backends) {
        Map<Runbook.Standby, String> seen = new ConcurrentHashMap<>();
        return s -> seen.computeIfAbsent(s, x -> {
            try (StandbyBackend b = backends.create(x.backend(), x.options())) {
                StandbyState st = b.status(x.target());
                if (st == StandbyState.ABSENT) return x.backend() + " has no " + x.target();
                if (x.address() == null && b.address(x.target()).isEmpty()) return "its address is unknown";
                return "";
            } catch (RuntimeException e) {
                return x.backend() + ": " + e.getMessage();
            }
        }).transform(r -> r.isEmpty() ? null : r);
    }

    private static int refuse(ExitCode code, String why, String event, RebalanceZabbix zabbix, PrintWriter out, PrintWriter err) {
        if (code == ExitCode.HELD) out.println(why);
        else err.println("vcr: " + why);
        ack(zabbix, event, "vcr rebalance: " + why + " (exit " + code.code() + " " + code.name() + ")", err);
        return code.code();
    }

    private static void ack(RebalanceZabbix zabbix, String event, String message, PrintWriter err) {
        if (zabbix == null || event == null) return;
        try {
            zabbix.acknowledge(event, message.length() > RecoveryReport.ACK_LIMIT
                    ? message.substring(0, RecoveryReport.ACK_LIMIT - 6) + " [...]" : message);
        } catch (IOException e) {
            err.println("vcr: ack of event " + event + " failed: " + e.getMessage());
        }
    }

    private static List<String> plan(Move m, Mover mover) {
        Runbook rb = m.runbook();
        Runbook.Dns d = rb.dns();
        List<String> out = new ArrayList<>();
        out.add("Move " + m.service() + " from standby " + m.from().name() + " on " + m.from().zabbixHost() + " (" + m.from().address()
                + ") to standby " + m.to().name() + " on " + m.to().zabbixHost() + " (" + m.targetLoad() + "):");
        out.add("  1. Take the lock of " + m.service() + " (a recovery or move in progress: exit 9, nothing changed).");
        out.add("  2. " + d.fqdn() + " " + d.type() + " must still hold " + m.from().address() + " (else exit 6, nothing changed).");
        out.add("  3. Start " + m.to().name() + " (" + m.to().backend() + " " + m.to().target() + ", " + m.to().kind().yaml()
                + ") unless running, and check it: " + org.vcrecovery.vcr.runbook.RunbookPlan.checks(rb.checks())
                + " (fails: stopped again, exit 7, DNS untouched).");
        out.add("  4. Switch " + d.fqdn() + " " + d.type() + " " + m.from().address() + " -> "
                + (m.to().address() == null ? "its address" : m.to().address()) + " (compare-and-swap, verified).");
        out.add("  5. Wait " + mover.drainOf(rb).toMillis() + " ms (record TTL " + d.ttl() + " s) for clients to follow, then stop "
                + m.from().name() + " (" + m.from().backend() + " " + m.from().target() + ").");
        return out;
    }
}
