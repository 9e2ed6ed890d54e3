package org.vcrecovery.vcr.dns;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.Precondition;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Json;
import org.vcrecovery.vcr.VcrException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcr dns set}: replace a name's A/AAAA/CNAME records in one atomic TSIG-signed UPDATE
 * (unsigned only when {@code --unsigned} says so: a forgotten key must not mean an unsigned
 * update), guarded by {@code --expect}/{@code --expect-absent}, then verify by asking
 * the authoritative server. Bad input is rejected (exit 2) before anything is sent. Prints one
 * line (or one JSON object with {@code --json}) on stdout; failures exit with the code of their
 * class (see {@link DnsExit}) and one line on stderr.
 */
@Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replace a name's records (one atomic RFC 2136 UPDATE), then verify on the authoritative server.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "   0  applied and verified (or applied, with --no-verify; or --dry-run)",
            "   2  bad input (name outside the zone, bad address, TTL range, key file, neither --tsig-file nor --unsigned): nothing sent",
            "   3  no answer: timeout or server down, or no reply signed with the key (unsigned replies are ignored)",
            "   4  key problem: NOTAUTH, BADSIG, BADKEY, BADTIME",
            "   5  refused by the server",
            "   6  conflict: the record is not what --expect/--expect-absent said; nothing changed",
            "  12  SERVFAIL/FORMERR, or the server did not answer the new values in time",
        })
public final class DnsSetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DnsConnectionOptions connection;

    @Option(names = "--zone", required = true, description = "The zone to update, e.g. example.test.")
    String zone;

    @Option(names = "--name", required = true,
            description = "Name to set: relative to the zone, or absolute (trailing dot) and inside it.")
    String name;

    @Option(names = "--type", defaultValue = "A", description = "A, AAAA or CNAME (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--value", required = true, paramLabel = "V", description = "New value; repeat for several.")
    List<String> values;

    @Option(names = "--ttl", defaultValue = "60", paramLabel = "SECONDS", description = "TTL, 0..2147483647 (default: ${DEFAULT-VALUE}).")
    long ttl;

    @Option(names = "--expect", paramLabel = "VALUE",
            description = "Apply only if the record currently holds exactly these values (compare-and-swap); repeat for several.")
    List<String> expect;

    @Option(names = "--expect-absent", description = "Apply only if no record of this type exists at the name.")
    boolean expectAbsent;

    @Option(names = "--no-verify", description = "Do not query the server afterwards.")
    boolean noVerify;

    @Option(names = "--verify-timeout-ms", defaultValue = "2000", paramLabel = "MS",
            description = "How long to keep querying until the server answers the new values (default: ${DEFAULT-VALUE}).")
    long verifyTimeoutMs;

    @Option(names = "--dry-run", description = "Print the update that would be sent (nsupdate syntax, no secret) and send nothing.")
    boolean dryRun;

    @Option(names = "--unsigned", description = "Send the update without a TSIG key (only for servers that allow it by address).")
    boolean unsigned;

    @Option(names = "--json", description = "Print one JSON object (outcome, timings in ms) instead of one line.")
    boolean json;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        DnsUpdater.preload(); // overlaps dnsjava's table set-up with parsing input and reading the key
        DnsChange change = change();
        if (verifyTimeoutMs < 0) throw new VcrException(ExitCode.USAGE, "verify-timeout-ms: " + verifyTimeoutMs + " is negative");
        if (unsigned && connection.tsigFile != null) {
            throw new VcrException(ExitCode.USAGE, "--unsigned and --tsig-file exclude each other");
        }
        if (!unsigned && connection.tsigFile == null) {
            throw new VcrException(ExitCode.USAGE, "no --tsig-file: updates are signed; give the key, or --unsigned to send it without one");
        }
        TsigKey key = connection.key();
        DnsUpdater updater = connection.updater(key);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.print(updater.preview(change));
            out.flush();
            return ExitCode.OK.code();
        }
        UpdateResult result = updater.update(change);
        VerifyResult verified = null;
        if (result.applied() && !noVerify) verified = updater.verify(change, Duration.ofMillis(verifyTimeoutMs));
        long totalMs = ms(System.nanoTime() - t0);

        ExitCode code = DnsExit.of(result.outcome());
        String failure = null;
        if (!result.applied()) {
            failure = change.describe() + ": " + result.outcome() + ": " + result.message();
        } else if (verified != null && !verified.matched()) {
            code = ExitCode.DNS_FAILED;
            failure = change.describe() + ": applied but " + verified.message();
        }
        if (json) {
            out.println(json(result, verified, code, totalMs, failure));
        } else if (failure == null) {
            out.println(change.describe() + ": applied" + (verified != null ? " and verified" : " (not verified)")
                    + " in " + totalMs + " ms");
        }
        out.flush();
        if (failure != null) throw new VcrException(code, failure);
        return ExitCode.OK.code();
    }

    private DnsChange change() {
        if (expectAbsent && expect != null && !expect.isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "--expect and --expect-absent exclude each other");
        }
        try {
            Precondition p = expectAbsent ? Precondition.absent()
                    : expect != null && !expect.isEmpty() ? Precondition.expect(expect) : Precondition.none();
            return new DnsChange(zone, name, RecordType.parse(type), values, ttl, p);
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, e.getMessage());
        }
    }

    private String json(UpdateResult r, VerifyResult v, ExitCode code, long totalMs, String failure) {
        DnsChange c = r.change();
        Json j = new Json().open()
                .field("outcome", r.outcome().name())
                .field("verified", v != null && v.matched())
                .field("exitCode", code.code())
                .field("zone", c.zone())
                .field("name", c.name())
                .field("type", c.type().name())
                .field("values", c.values())
                .field("ttl", c.ttl())
                .field("attempts", r.attempts())
                .field("tcp", r.tcp());
        if (v != null) j.field("verifyQueries", v.queries()).field("seen", v.lastSeen());
        j.openObject("ms").field("send", ms(r.elapsed().toNanos()));
        if (v != null) j.field("verify", ms(v.elapsed().toNanos()));
        j.field("total", totalMs).close();
        return j.field("message", failure == null ? r.message() : failure).close().toString();
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1_000_000.0);
    }
}
