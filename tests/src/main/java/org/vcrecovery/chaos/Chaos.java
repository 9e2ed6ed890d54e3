package org.vcrecovery.chaos;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vcrecovery.drill.DrillException;
import org.vcrecovery.drill.Rig;
import org.vcrecovery.drill.ToolMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The randomized fault suite ({@code tests/chaos}): N failovers of the drill's warm scene on the
 * sandbox, each with a fault from {@link Faults#ALL} drawn from the seed (same seed, same plan),
 * fired at a random moment; after each run the {@link Invariants} are judged. Prints the seed
 * first, each run's fault and verdict, and a summary; every violation names the seed and run.
 *
 * <p>Exit codes: 0 no violation; 1 a violation (replay with {@code --seed S}); 2 bad flags;
 * 3 the sandbox or the build is missing; 4 a run could not be carried out (the scene did not
 * reset, a daemon did not come back): no verdict.
 */
@Command(name = "tests/chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Randomized fault suite: N failovers with faults injected at random moments; invariants checked after each.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every run kept every invariant", "1:a violation (the seed to replay it is printed)", "2:bad flags",
            "3:sandbox or build missing", "4:a run could not be carried out (no verdict)"})
public final class Chaos implements Callable<Integer> {
    @Option(names = "--seed", paramLabel = "S", description = "Seed of the fault plan (default: random, printed).")
    Long seed;

    @Option(names = "--runs", paramLabel = "N", description = "Failovers to run, 1-10000 (default: 10).")
    int runs = 10;

    @Option(names = "--faults", paramLabel = "A,B", description = "Draw only from these faults (default: all; --list-faults shows them).")
    String faults;

    @Option(names = "--via-proxy", description = "Monitor the KVM host and the standby by the sandbox's active Zabbix proxy (as tests/drill"
            + " --via-proxy: the listener's values and the action's command pass through it); adds the proxy's faults.")
    boolean viaProxy;

    @Option(names = "--list-faults", description = "Print the fault table and exit.")
    boolean listFaults;

    @Option(names = "--repo", paramLabel = "DIR", description = "The source checkout (default: the vcr.repo property, else the current directory).")
    Path repo;

    private final PrintStream out;
    /** Violations of the last execution, for tests. */
    final List<String> violations = new ArrayList<>();

    Chaos(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs the suite with {@code args}, printing on {@code out}; returns the exit code (a DrillException: 3 stays 3, else 4). */
    public static int run(PrintStream out, String... args) {
        return ToolMain.execute(new Chaos(out), "chaos", out, code -> code == 3 ? 3 : 4, 4, args);
    }

    @Override
    public Integer call() throws Exception {
        if (listFaults) {
            for (Fault f : Faults.known(true)) out.printf("%-24s %s%n", f.name(), f.what());
            return 0;
        }
        if (runs < 1 || runs > 10_000) throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be 1-10000, not " + runs);
        List<Fault> pool;
        try {
            pool = Faults.select(faults, viaProxy);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
        Plan plan = Plan.draw(s, runs, pool);
        out.println("chaos: seed " + s + ", " + runs + " run(s), faults " + String.join(",", pool.stream().map(Fault::name).toList())
                + (viaProxy ? ", through the Zabbix proxy" : "") + " (replay: " + replay(s) + ")");
        Path root = ToolMain.repoRoot(repo);
        Instant start = Instant.now();
        Map<String, int[]> perFault = new LinkedHashMap<>();
        try (Rig rig = Rig.open(root, out, viaProxy)) {
            String bind = rig.env("DNS_SERVER");
            int c = bind.lastIndexOf(':');
            Daemons daemons = new Daemons(Path.of(rig.env("STATE_DIR")));
            try (DnsGate gate = new DnsGate(new InetSocketAddress(bind.substring(0, c), Integer.parseInt(bind.substring(c + 1))))) {
                rig.editRunbook(rb -> rb.replace("server: " + bind + "\n", "server: " + gate.address() + "\n"));
                if (!java.nio.file.Files.readString(rig.runbook()).contains(gate.address())) {
                    throw new DrillException(4, "could not point the runbook's DNS server at the relay " + gate.address());
                }
                try {
                    for (Plan.Entry e : plan.entries()) runOne(rig, daemons, gate, root, plan, e, perFault);
                } finally {
                    rig.editRunbook(rb -> rb);
                }
            }
        }
        Duration took = Duration.between(start, Instant.now());
        out.println("chaos: " + runs + " run(s) in " + took.toSeconds() + " s, " + violations.size() + " violation(s); seed " + s);
        perFault.forEach((k, n) -> out.printf("  %-24s %3d run(s), %d with violations, %d recovered only by the operator's rerun%n",
                k, n[0], n[1], n[2]));
        if (!violations.isEmpty()) {
            for (String v : violations) out.println("  VIOLATION " + v);
            out.println("chaos: replay with " + replay(s));
            return 1;
        }
        return 0;
    }

    /** The command line that draws the same plan again. */
    private String replay(long s) {
        return "tests/chaos --seed " + s + " --runs " + runs + (viaProxy ? " --via-proxy" : "") + (faults == null ? "" : " --faults " + faults);
    }

    private void runOne(Rig rig, Daemons daemons, DnsGate gate, Path root, Plan plan, Plan.Entry e, Map<String, int[]> perFault)
            throws Exception {
        out.println("chaos: run " + e.run() + "/" + plan.entries().size() + ": " + e.describe());
        Observed o = new Trial(rig, daemons, gate, root, e).run();
        List<String> missing = daemons.missing();
        if (!missing.isEmpty()) {
            Rig.Exec up = Rig.exec(600, root.resolve("tests/env/up").toString());
            if (!up.ok() || !daemons.missing().isEmpty()) {
                throw new DrillException(4, "run " + e.run() + " left " + missing + " not running and tests/env/up did not bring it back");
            }
            o.notes().add("tests/env/up restarted " + missing);
        }
        List<String> v = Invariants.check(o, rig.primaryAddress(), rig.standbyAddress());
        int[] n = perFault.computeIfAbsent(e.fault().name(), k -> new int[3]);
        n[0]++;
        if (!v.isEmpty()) n[1]++;
        boolean byRerun = e.fault().realFailure() && !o.beforeRerun().equals(List.of(rig.standbyAddress()));
        if (byRerun) n[2]++;
        String result = o.audit().isEmpty() ? "no vcr report" : String.join(",", o.audit().stream().map(l -> l.path("result").asText()).toList());
        out.println("chaos: run " + e.run() + ": " + (v.isEmpty() ? "ok" : v.size() + " VIOLATION(S)") + " (vcr: " + result
                + (o.rerunExit() == null ? "" : "; rerun exit " + o.rerunExit() + (byRerun ? " (only the rerun recovered)" : "")) + (o.notes().isEmpty() ? "" : "; " + String.join("; ", o.notes())) + "; " + Invariants.trail(o) + ")");
        for (String x : v) {
            String line = "seed " + plan.seed() + " run " + e.run() + " (" + e.describe() + "): " + x;
            out.println("  VIOLATION " + line);
            violations.add(line);
        }
    }
}
