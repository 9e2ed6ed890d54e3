package org.vcrecovery.vcr.recover;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.runbook.Runbook;

/** The runbook's checks run against one address: all must pass, each retried until a shared deadline. */
final class Probes {
    static final Duration RETRY_INTERVAL = Duration.ofMillis(50);

    private Probes() {}

    /** The outcome of all checks: up only when every one is up; the detail joins their summaries. */
    record Verdict(boolean up, String detail) {}

    static InetSocketAddress socket(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }

    /** Every check on {@code address} (ports replaced by {@code portOverride} when non-zero) until {@code within}. */
    static Verdict checkUntil(ServiceChecker checker, List<Runbook.Check> checks, String address, int portOverride,
                              Duration within) {
        Instant deadline = Instant.now().plus(within);
        List<String> details = new ArrayList<>();
        boolean up = true;
        for (Runbook.Check c : checks) {
            Runbook.Check k = c.onPort(portOverride);
            CheckResult r = checker.checkUntil(socket(address, k.port()), k.protocol(), k.timeout(),
                    deadline, RETRY_INTERVAL);
            details.add(r.summary());
            if (!r.up()) {
                up = false;
                break;
            }
        }
        return new Verdict(up, String.join("; ", details));
    }

    /** One plain TCP connect per check port of the primary: silent when none accepts. */
    static Verdict silent(ServiceChecker checker, List<Runbook.Check> checks, String address) {
        List<String> details = new ArrayList<>();
        for (Runbook.Check c : checks) {
            CheckResult r = checker.check(socket(address, c.port()), Protocol.TCP, c.timeout());
            if (r.up()) return new Verdict(false, ServiceChecker.endpoint(socket(address, c.port())) + " still accepts connections");
            details.add(r.endpoint() + " " + r.detail());
        }
        return new Verdict(true, String.join("; ", details));
    }
}
