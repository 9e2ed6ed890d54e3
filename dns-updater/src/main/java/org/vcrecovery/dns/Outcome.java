package org.vcrecovery.dns;

import org.xbill.DNS.Rcode;

/**
 * How an update (or a query) ended: an error code the caller maps onto its own contract (exit
 * codes, report fields) without inspecting messages. Every outcome but {@link #APPLIED} means
 * the zone was not changed by this request — the property of an atomic RFC 2136 UPDATE — except
 * where no reply arrived or none could be trusted ({@link #TIMEOUT}, {@link #UNVERIFIED}), where
 * the change may or may not have happened: query the record (signed) before concluding.
 */
public enum Outcome {
    APPLIED("applied"),
    CONFLICT("the record is not what was expected: someone else changed it; nothing changed"),
    REFUSED("the server refused the update (not allowed for this client or key; check allow-update/update-policy)"),
    NOTAUTH("the server is not authoritative for the zone or did not accept the key"),
    BADSIG("TSIG signature did not verify: wrong secret for this key name"),
    BADKEY("TSIG key unknown to the server (wrong key name or algorithm)"),
    BADTIME("TSIG time check failed: the clocks differ by more than the allowed fudge (check NTP)"),
    NOTZONE("the name is not inside the zone"),
    SERVFAIL("the server failed while processing the request"),
    FORMERR("the server could not parse the request"),
    TIMEOUT("no reply from the server in time"),
    UNREACHABLE("the server could not be reached (nothing listening on that port, or no route)"),
    UNVERIFIED("no reply signed with the key arrived (unsigned replies are ignored: anyone can forge one); "
            + "the change may or may not have happened");

    private final String description;

    Outcome(String description) {
        this.description = description;
    }

    /** A readable, secret-free sentence for operators. */
    public String description() {
        return description;
    }

    /** NOTAUTH, BADSIG, BADKEY, BADTIME: something is wrong with the key or clock. */
    public boolean isAuthFailure() {
        return this == NOTAUTH || this == BADSIG || this == BADKEY || this == BADTIME;
    }

    /** TIMEOUT, UNREACHABLE, UNVERIFIED: no answer that can be believed. */
    public boolean isTransportFailure() {
        return this == TIMEOUT || this == UNREACHABLE || this == UNVERIFIED;
    }

    /**
     * The outcome of a reply with header/extended {@code rcode} and TSIG error {@code tsigError}
     * (0 when the reply carried no TSIG). The TSIG error wins: BIND answers a bad signature with
     * NOTAUTH + BADSIG, and dnsjava raises no exception for it.
     */
    static Outcome classify(int rcode, int tsigError) {
        switch (tsigError) {
            case Rcode.BADSIG: return BADSIG;
            case Rcode.BADKEY: return BADKEY;
            case Rcode.BADTIME: return BADTIME;
            default: break;
        }
        return switch (rcode) {
            case Rcode.NOERROR -> APPLIED;
            case Rcode.YXRRSET, Rcode.NXRRSET, Rcode.NXDOMAIN, Rcode.YXDOMAIN -> CONFLICT;
            case Rcode.REFUSED, Rcode.NOTIMP -> REFUSED;
            case Rcode.NOTAUTH -> NOTAUTH;
            case Rcode.NOTZONE -> NOTZONE;
            case Rcode.FORMERR -> FORMERR;
            default -> SERVFAIL;
        };
    }
}
