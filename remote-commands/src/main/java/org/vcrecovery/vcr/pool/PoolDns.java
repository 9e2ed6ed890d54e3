package org.vcrecovery.vcr.pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.SecretFile;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * What a pool change needs from DNS, for the pool's round-robin RRset: read it at the
 * authoritative server, replace it by compare-and-swap (one RFC 2136 UPDATE whose prerequisite is
 * the exact RRset read), and ask the server until it answers the new one. {@link #open} is the
 * real one over dns-updater; tests give their own.
 */
public interface PoolDns {

    /** The RRset's values at the authoritative server; IOException when it does not answer. */
    List<String> current() throws IOException;

    /** Replaces the RRset {@code from} (exactly) with {@code to}, atomically; never throws for the wire. */
    UpdateResult set(List<String> from, List<String> to);

    /** Asks the server until it answers {@code change}'s values or {@code within} passes. */
    VerifyResult verify(DnsChange change, Duration within);

    /** The change {@link #set} sends: {@code to} in place of exactly {@code from} (empty {@code from}: no RRset yet). */
    static DnsChange change(Runbook.Dns d, List<String> from, List<String> to) {
        DnsChange c = new DnsChange(d.zone(), d.fqdn(), RecordType.parse(d.type()), to, d.ttl(), null);
        return from.isEmpty() ? c.expectingAbsent() : c.expecting(from.toArray(String[]::new));
    }

    /**
     * Over dns-updater, for {@code dns}. The TSIG key file is read (and its permissions checked)
     * here: a bad key file is USAGE before anything changes.
     */
    static PoolDns open(Runbook.Dns dns, Duration timeout, int retries) {
        DnsUpdater.Builder b = DnsUpdater.builder().server(new InetSocketAddress(dns.server(), dns.port()))
                .timeout(timeout).retries(retries);
        if (dns.tsigFile() != null) {
            SecretFile.requirePrivate(dns.tsigFile(), "TSIG key file");
            try {
                b.tsigKey(TsigKey.fromFile(dns.tsigFile()));
            } catch (IOException | IllegalArgumentException e) {
                throw new VcrException(ExitCode.USAGE, "cannot use TSIG key file " + dns.tsigFile() + ": " + e.getMessage());
            }
        }
        DnsUpdater updater = b.build();
        return new PoolDns() {
            @Override
            public List<String> current() throws IOException {
                return updater.query(dns.zone(), dns.fqdn(), RecordType.parse(dns.type()));
            }

            @Override
            public UpdateResult set(List<String> from, List<String> to) {
                return updater.update(change(dns, from, to));
            }

            @Override
            public VerifyResult verify(DnsChange change, Duration within) {
                return updater.verify(change, within);
            }
        };
    }
}
