package org.vcrecovery.vcr.pool;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.Failure;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vcr pool grow|shrink|status SERVICE}: the hot-standby pool of a {@code kind: pool}
 * runbook (see {@link PoolChange} for what grow and shrink do, {@link PoolRun} for the guards
 * around them, {@link PoolPending} for {@code --pending}).
 */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = {"A hot-standby pool (runbook kind: pool): members active (in the DNS RRset), standby (running, checked,"
                + " outside it) or idle (stopped).",
            "grow: the first standby joins the RRset (compare-and-swap + verify) while the first idle member starts as the next standby.",
            "shrink: the last active leaves the RRset and becomes the standby (the old standby is stopped); never below min-active."},
        subcommands = {PoolCommand.Grow.class, PoolCommand.Shrink.class, PoolCommand.Status.class},
        footerHeading = "%nExit codes (grow, shrink):%n",
        footer = {
            "   0  changed: the RRset holds one member more (grow) or fewer (shrink), verified at the server",
            "   2  bad input: arguments, a pool runbook with problems (file:line), a key file: nothing changed",
            "   3  the DNS server (or with --pending the Zabbix API) did not answer: nothing changed",
            "   6  the RRset changed under us (compare-and-swap refused): nothing changed",
            "   7  grow: no standby, and the idle member started did not pass its checks: nothing changed",
            "   9  another change of this pool holds its lock",
            "  12  the update was sent but not verified, or refused by the server",
            "  15  --pending: automatic pool changes are switched off (<state dir>/disabled, or {$VCR.AUTO} = 0)",
            "  18  at the limit: grow with no standby or idle member left, shrink at min-active, or (--pending)"
                + " inside min-interval since the last change: nothing changed",
            "--pending: the code of the first pool whose run ended other than 0 or 18; 0 when nothing is pending."})
public final class PoolCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE.code();
    }

    /**
     * Runs {@code vcr pool ARGS} in this JVM with {@code env} as the environment (what {@code vcr
     * serve} does for a pool line): the same output, messages and exit code as a fresh process.
     */
    public static int execute(List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(PoolCommand.class, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> c) throws Exception {
                K o = CommandLine.defaultFactory().create(c);
                if (o instanceof Change ch) ch.env = env;
                if (o instanceof Status st) st.env = env;
                return o;
            }
        });
        cl.setCommandName("vcr pool");
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, c, parsed) -> Failure.exitCode(e, c.getErr(), false));
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("vcr: " + e.getMessage());
            return ExitCode.USAGE.code();
        });
        return cl.execute(args.toArray(String[]::new));
    }

    /** What grow and shrink share. */
    abstract static class Change implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "The pool runbook (name or file).")
        String service;

        @Option(names = "--pending", description = "What the Zabbix actions run: change every pool with an open, unacknowledged"
                + " problem of this direction whose runbook is here (see PoolPending); nothing comes from the command line.")
        boolean pending;

        @Option(names = "--json", description = "Print the JSON report instead of the summary line.")
        boolean json;

        /** The caller's environment (vcr serve passes its caller's). */
        Map<String, String> env = System.getenv();

        abstract String action();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (pending == (service != null)) {
                throw new VcrException(ExitCode.USAGE, "give SERVICE or --pending (one of them)");
            }
            VcrConfig cfg = options.load(env);
            try {
                if (pending) return PoolPending.run(cfg, action(), json, out, err);
                PoolReport report = PoolRun.run(cfg, PoolRun.load(cfg, service), action(), false, null, err);
                out.println(json ? report.toJson() : report.summary());
                return report.code().code();
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    @Command(name = "grow", mixinStandardHelpOptions = true, description = "Promote a standby to active; start an idle member as the next standby.")
    static final class Grow extends Change {
        @Override
        String action() {
            return "grow";
        }
    }

    @Command(name = "shrink", mixinStandardHelpOptions = true, description = "Take the last active out of DNS (it stays up as the standby); never below min-active.")
    static final class Shrink extends Change {
        @Override
        String action() {
            return "shrink";
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each member's role (active, standby, idle) and check; the policy and the last change. Changes nothing.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "The pool runbook (name or file); none: every pool runbook of the directory.")
        String service;

        @Option(names = "--json", description = "One JSON object instead of lines (one per pool).")
        boolean json;

        Map<String, String> env = System.getenv();

        @Override
        public Integer call() {
            VcrConfig cfg = options.load(env);
            PrintWriter out = spec.commandLine().getOut();
            List<String> pools = new java.util.ArrayList<>();
            if (service != null) {
                pools.add(service);
            } else {
                for (java.nio.file.Path f : new org.vcrecovery.vcr.runbook.RunbookCatalog(cfg.runbookDir()).files()) {
                    try {
                        if (org.vcrecovery.vcr.runbook.PoolRunbookReader.isPool(java.nio.file.Files.readString(f))) pools.add(f.toString());
                    } catch (IOException e) {
                        out.println(f + ": cannot read: " + e.getMessage());
                    }
                }
                if (pools.isEmpty()) out.println("no pool runbook in " + cfg.runbookDir());
            }
            for (String p : pools) show(cfg, PoolRun.load(cfg, p), out);
            out.flush();
            return ExitCode.OK.code();
        }

        private void show(VcrConfig cfg, PoolRunbook pool, PrintWriter out) {
            PoolView v;
            try (PoolRun.Opened backends = new PoolRun.Opened()) {
                PoolDns dns = PoolDns.open(pool.dns(), pool.limits().dnsTimeout(), pool.limits().retries());
                v = new PoolChange(pool, dns, backends, new ServiceChecker(), backends.exec).look(new PoolReport(pool.service(), "status"));
            } catch (IOException e) {
                throw new VcrException(ExitCode.UNREACHABLE, "DNS server " + pool.dns().server() + " did not answer: " + e.getMessage());
            }
            PoolRunbook.Policy p = pool.policy();
            String last = PoolRun.lastChange(cfg.stateDir(), pool.service())
                    .map(t -> Duration.between(t, Instant.now()).toSeconds() + " s ago").orElse("never");
            if (json) {
                Json j = new Json().open().field("pool", pool.service()).field("rrset", v.rrset()).field("min_active", p.minActive())
                        .field("upper_pct", p.upper()).field("lower_pct", p.lower()).field("window_s", p.window().toSeconds())
                        .field("min_interval_s", p.minInterval().toSeconds()).field("last_change", last).openArray("members");
                for (PoolRunbook.Member m : pool.members()) {
                    j.open().field("name", m.name()).field("address", m.address()).field("role", role(v, m))
                            .field("check", summary(v.checks().get(m.name()))).close();
                }
                out.println(j.closeArray().close());
            } else {
                out.println("pool " + pool.service() + ": " + v.actives().size() + " active (min " + p.minActive() + "), RRset "
                        + pool.dns().fqdn() + " " + pool.dns().type() + " " + (v.rrset().isEmpty() ? "(none)" : String.join(",", v.rrset())));
                for (PoolRunbook.Member m : pool.members()) {
                    out.printf("  %-12s %-16s %-8s %s%n", m.name(), m.address(), role(v, m), summary(v.checks().get(m.name())));
                }
                if (!v.foreign().isEmpty()) out.println("  not members, kept in the RRset: " + String.join(",", v.foreign()));
                out.println("grow above " + p.upper() + "%, shrink below " + p.lower() + "% (moving average over " + p.window().toSeconds()
                        + " s); min-interval " + p.minInterval().toSeconds() + " s; last change " + last);
            }
        }

        private static String role(PoolView v, PoolRunbook.Member m) {
            return v.active(m) ? "active" : v.answers(m) ? "standby" : "idle";
        }

        private static String summary(CheckResult r) {
            return r == null ? "no check" : r.summary();
        }
    }
}
