package org.vcrecovery.drill;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The failover drill ({@code tests/drill}): on the sandbox, a primary VM fails, Zabbix notices
 * through vcr-trap-listener, its action runs {@code vcr recover} on the standby host's agent, and a
 * client watches the service name move to the standby. As in production, {@code bin/vcr} hands the
 * recover line to a {@code vcr serve} the drill runs for its duration ({@code --no-serve}: a fresh
 * JVM per action); each run says which of the two ran it. Prints a timeline of every leg, its
 * median and p95 over {@code --runs}, writes the same as JSON and a PNG chart with {@code --json}.
 *
 * <p>Exit codes: 0 every run recovered and DNS answers the standby; 1 a run did not recover (or
 * an unexpected error); 2 bad flags; 3 the sandbox or the build is missing or does not answer.
 * The sandbox and the listener are left running for inspection; {@code tests/drill --down}
 * stops both afterwards.
 */
@Command(name = "tests/drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Failover drill: crash a VM, let Zabbix run vcr recover, time every leg until clients reach the standby.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every run recovered and DNS answers the standby", "1:a run did not recover",
            "2:bad flags", "3:sandbox or build missing or not answering"})
public final class Drill implements Callable<Integer> {
    @Option(names = "--scenario", paramLabel = "NAME", description = "What to drill: failover (default: one VM fails and is recovered), or a scenario of Scenarios (see README).")
    String scenario = Scenarios.FAILOVER;

    @Option(names = "--vms", paramLabel = "N", description = "VMs a scenario puts on its KVM host, 1-100 (default: 50; the failover drill ignores it).")
    int vms = 50;

    @Option(names = "--mode", paramLabel = "warm|cold|resume", description = "The standby: warm container, cold container, or suspended VM (default: warm).")
    String mode = "warm";

    @Option(names = "--runs", paramLabel = "N", description = "Failovers to run, 1-100 (default: 1).")
    int runs = 1;

    @Option(names = "--via-snmp", description = "Report the failure as a libvirt-snmp trap (snmptrap) instead of a libvirt event.")
    boolean viaSnmp;

    @Option(names = "--via-proxy", description = "Monitor the KVM host and the standby by the sandbox's active Zabbix proxy (started when needed):"
            + " the listener sends to the proxy, the action's command reaches the agent through it; the timeline shows the proxy's legs.")
    boolean viaProxy;

    @Option(names = "--no-serve", description = "Run no vcr serve: the action's bin/vcr starts a fresh JVM for every recovery (VCR_SERVE=off).")
    boolean noServe;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the timeline as JSON to FILE, and a PNG chart next to it.")
    Path json;

    @Option(names = "--down", description = "Stop the listener at the end (tests/drill then stops the sandbox).")
    boolean down;

    @Option(names = "--installed", description = "Run the Debian package's /usr/bin/vcr and /usr/bin/vcr-trap-listener (and its templates) instead of the checkout's build.")
    boolean installed;

    @Option(names = "--repo", paramLabel = "DIR", description = "The source checkout (default: the vcr.repo property, else the current directory).")
    Path repo;

    private final PrintStream out;
    private Report report;

    Drill(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs the drill with {@code args}, printing on {@code out}; returns the exit code. */
    public static int run(PrintStream out, String... args) {
        return execute(new Drill(out), args);
    }

    /** Like {@link #run} but hands back the report (null when the drill stopped before it). */
    public static Report runForReport(PrintStream out, String... args) {
        Drill d = new Drill(out);
        execute(d, args);
        return d.report;
    }

    private static int execute(Drill d, String... args) {
        return ToolMain.execute(d, "drill", d.out, code -> code, 1, args);
    }

    @Override
    public Integer call() throws Exception {
        Mode m;
        try {
            m = Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new DrillException(2, e.getMessage());
        }
        Scenario sc = Scenarios.byName(scenario);
        if (vms < 1 || vms > 100) throw new DrillException(2, "--vms must be 1-100, not " + vms);
        if (runs < 1 || runs > 100) throw new DrillException(2, "--runs must be 1-100, not " + runs);
        if (json != null && (json.getParent() != null && !Files.isDirectory(json.toAbsolutePath().getParent()))) {
            throw new DrillException(2, "--json " + json + ": directory " + json.toAbsolutePath().getParent() + " does not exist");
        }
        Path root = ToolMain.repoRoot(repo);
        Launchers launchers = installed ? Launchers.installed() : Launchers.checkout(root);
        Progress progress = new Progress(out);
        progress.say("vcr and vcr-trap-listener from " + launchers.where());
        Env env = Env.load();
        Path dir = Path.of(env.get("STATE_DIR"), "drill");
        Files.createDirectories(dir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve("drill.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) throw new DrillException(1, "another drill is running (it holds " + dir.resolve("drill.lock") + ")");
            if (sc != null) {
                return sc.run(new Scenario.Context(env, root, launchers, dir, progress, out, runs, vms, !noServe, viaProxy, json));
            }
            Stage stage = new Stage(m, runs, viaSnmp, !noServe, viaProxy, env, root, launchers, dir, progress);
            report = stage.run();
            report.print(out);
            if (json != null) {
                report.writeJson(json);
                Path png = Chart.pngNextTo(json);
                Chart.write(report, png);
                progress.say("wrote " + json + " and " + png);
            }
            if (down) stage.listener().stop(progress);
            else stage.printInspection(report);
            return report.allRecovered() ? 0 : 1;
        }
    }

    /** Writes {@code text} to {@code file} with {@code perms} (rwxr-xr-x style). */
    static void write(Path file, String text, String perms) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(perms));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
