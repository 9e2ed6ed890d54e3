package org.vcrecovery.vcr;

/**
 * The exit codes of {@code vcr}: part of its interface, since Zabbix records them.
 *
 * <p>Every command maps its outcome onto exactly one of these; {@link Vcr} lists them in
 * {@code --help}. Codes never change meaning once released: add new ones at the end.
 */
public enum ExitCode {
    OK(0, "success: recovered, record set and verified, port answering"),
    FAILED(1, "unexpected internal error (run with --verbose for the stack trace)"),
    USAGE(2, "bad input or configuration: nothing was changed"),
    UNREACHABLE(3, "a server (Zabbix, DNS, libvirt, LXD) did not answer in time"),
    AUTH(4, "authentication failed (TSIG key, Zabbix token or password)"),
    REFUSED(5, "the server refused the request (not allowed)"),
    CONFLICT(6, "the record is not as expected (someone else changed it): nothing changed"),
    SERVICE_DOWN(7, "the service did not answer its check (check-port), or no standby passed"),
    FENCING_FAILED(8, "the failed primary could not be fenced or proven dead: DNS left alone"),
    IN_PROGRESS(9, "another recovery of the same service holds the lock"),
    DUPLICATE(10, "duplicate event inside the dedup window: dropped"),
    IN_MAINTENANCE(11, "the primary's Zabbix host is in maintenance: left alone"),
    DNS_FAILED(12, "the standby is up but the DNS switch or its verification failed"),
    STALE_EVENT(13, "the event's problem was already resolved: nothing done"),
    PRIMARY_HEALTHY(14, "the primary is healthy (its domain runs and its service answers): event not confirmed, nothing touched"),
    HELD(15, "held by the circuit breaker or the kill switch: nothing touched, waits for approval"),
    NO_TARGET(16, "rebalance: no other recovery VM with room can run the service: nothing moved"),
    NOT_ON_HOST(17, "rebalance: no recovered service (or not the one named) runs on that recovery VM: nothing moved"),
    POOL_LIMIT(18, "pool at its limit: grow with no standby or idle member left, shrink at the minimum of actives,"
            + " or an automatic change inside the pool's min-interval: nothing changed"),
    PARTIAL(19, "host-down: some VMs of the dead KVM host were not recovered (the others were; each VM's line says why)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
