package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;

/**
 * What a recovery needs from DNS, for the runbook's record: read it at the authoritative server,
 * compare-and-swap it, verify it. Implemented over dns-updater by {@link DnsUpdaterPort}.
 */
public interface DnsPort {

    /** The record's current values at the authoritative server; IOException when it does not answer. */
    List<String> current() throws IOException;

    /** Replaces the record's values {@code from} (exactly) with {@code to}, atomically; never throws for the wire. */
    UpdateResult swap(List<String> from, String to);

    /** Asks the server until it answers {@code change}'s values or {@code within} passes. */
    VerifyResult verify(DnsChange change, Duration within);
}
