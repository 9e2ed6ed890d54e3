package org.vcrecovery.vcr.dns;

import org.vcrecovery.dns.Outcome;
import org.vcrecovery.vcr.ExitCode;

/** The one place where DNS outcomes become {@code vcr} exit codes. */
final class DnsExit {
    private DnsExit() {}

    static ExitCode of(Outcome outcome) {
        return switch (outcome) {
            case APPLIED -> ExitCode.OK;
            case CONFLICT -> ExitCode.CONFLICT;
            case REFUSED -> ExitCode.REFUSED;
            case NOTAUTH, BADSIG, BADKEY, BADTIME -> ExitCode.AUTH;
            case NOTZONE -> ExitCode.USAGE;
            case SERVFAIL, FORMERR -> ExitCode.DNS_FAILED;
            case TIMEOUT, UNREACHABLE, UNVERIFIED -> ExitCode.UNREACHABLE;
        };
    }
}
