package org.vcrecovery.vcr.dns;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsException;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;
import org.vcrecovery.vcr.VcrException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcr dns get}: what the authoritative server holds for a name and type (no cache, no
 * recursion). Prints {@code NAME TYPE v1, v2} or {@code NAME TYPE (none)}, exit 0; a server
 * that cannot be asked exits with the code of the failure's class (see {@link DnsExit}).
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ask the authoritative server for a name's records.")
public final class DnsGetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DnsConnectionOptions connection;

    @Option(names = "--zone", description = "Zone the name is relative to (and which must contain it).")
    String zone;

    @Option(names = "--name", required = true, description = "Name to look up.")
    String name;

    @Option(names = "--type", defaultValue = "A", description = "A, AAAA or CNAME (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        DnsUpdater.preload();
        RecordType t;
        try {
            t = RecordType.parse(type);
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, e.getMessage());
        }
        if (connection.server == null && zone == null) {
            throw new VcrException(ExitCode.USAGE, "give --server, or --zone to find the zone's primary");
        }
        DnsUpdater updater = connection.updater(connection.key());
        List<String> values;
        String shown;
        try {
            if (zone != null) {
                values = updater.query(zone, name, t);
                shown = DnsChange.qualify(zone, name);
            } else {
                values = updater.query(name, t);
                shown = name.endsWith(".") ? name : name + ".";
            }
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, e.getMessage());
        } catch (DnsException e) {
            throw new VcrException(DnsExit.of(e.outcome()), name + " " + t + ": " + e.outcome() + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        long ms = Math.round((System.nanoTime() - t0) / 1_000_000.0);
        if (json) {
            out.println(new Json().open().field("name", shown).field("type", t.name()).field("values", values)
                    .openObject("ms").field("total", ms).close().close());
        } else {
            out.println(shown + " " + t + " " + (values.isEmpty() ? "(none)" : String.join(", ", values)));
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
