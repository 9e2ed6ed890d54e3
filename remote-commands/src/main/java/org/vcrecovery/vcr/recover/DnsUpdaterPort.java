package org.vcrecovery.vcr.recover;

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
 * {@link DnsPort} over dns-updater for one runbook's record. The TSIG key file is read (and its
 * permissions checked) when this is created: a bad key file is USAGE before anything changes.
 */
public final class DnsUpdaterPort implements DnsPort {
    private final Runbook.Dns dns;
    private final DnsUpdater updater;

    private DnsUpdaterPort(Runbook.Dns dns, DnsUpdater updater) {
        this.dns = dns;
        this.updater = updater;
    }

    public static DnsUpdaterPort open(Runbook.Dns dns, Duration timeout, int retries) {
        DnsUpdater.Builder b = DnsUpdater.builder()
                .server(new InetSocketAddress(dns.server(), dns.port()))
                .timeout(timeout)
                .retries(retries);
        if (dns.tsigFile() != null) {
            SecretFile.requirePrivate(dns.tsigFile(), "TSIG key file");
            try {
                b.tsigKey(TsigKey.fromFile(dns.tsigFile()));
            } catch (IOException | IllegalArgumentException e) {
                throw new VcrException(ExitCode.USAGE, "cannot use TSIG key file " + dns.tsigFile() + ": " + e.getMessage());
            }
        }
        return new DnsUpdaterPort(dns, b.build());
    }

    @Override
    public List<String> current() throws IOException {
        return updater.query(dns.zone(), dns.fqdn(), RecordType.parse(dns.type()));
    }

    @Override
    public UpdateResult swap(List<String> from, String to) {
        return updater.update(DnsStages.change(dns, from, to));
    }

    @Override
    public VerifyResult verify(DnsChange change, Duration within) {
        return updater.verify(change, within);
    }
}
