package org.vcrecovery.vcr.runbook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A hot-standby pool ({@code kind: pool}): one service served by several members at once, each
 * member's address one value of a DNS round-robin RRset. A member is <b>active</b> when its
 * address is in the RRset, <b>standby</b> when it runs (and passes the checks) outside it, and
 * <b>idle</b> when its backend has it stopped: the roles are read from DNS and the backends at
 * each run, never stored. Read and validated by {@link PoolRunbookReader}; the records check
 * only what a programming error could get wrong.
 *
 * @param zabbixHost the Zabbix host carrying the "vcrecovery pool" template (null: none named)
 * @param source the file it was read from (for messages); may be null for pools built in code
 */
public record PoolRunbook(String service, String zabbixHost, List<Member> members, List<Runbook.Check> checks,
                          Runbook.Dns dns, Policy policy, Runbook.Limits limits, Path source) {
    public PoolRunbook {
        Objects.requireNonNull(service, "service == null");
        members = List.copyOf(members);
        checks = List.copyOf(checks);
        Objects.requireNonNull(dns, "dns == null");
        Objects.requireNonNull(policy, "policy == null");
        Objects.requireNonNull(limits, "limits == null");
        if (members.isEmpty()) throw new IllegalArgumentException("members is empty");
    }

    /** The member whose address is {@code address}, if any. */
    public Optional<Member> byAddress(String address) {
        return members.stream().filter(m -> m.address().equals(address)).findFirst();
    }

    /** The member called {@code name}, if any. */
    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * One member: {@code target} is the backend's name for it (container or domain; defaults to
     * {@code name}); {@code address} is an IP literal, the value it has in the RRset.
     */
    public record Member(String name, String backend, Map<String, String> options, String target, String address) {
        public Member {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(backend, "backend == null");
            options = Map.copyOf(options);
            Objects.requireNonNull(target, "target == null");
            Objects.requireNonNull(address, "address == null");
        }
    }

    /**
     * When the pool grows and shrinks. Zabbix decides (its triggers compare the moving average of
     * the members' load over {@code window} with {@code upper} and {@code lower}, in percent of one
     * member's capacity); vcr enforces {@code minActive} always and {@code minInterval} between two
     * automatic changes.
     */
    public record Policy(int minActive, int upper, int lower, Duration window, Duration minInterval) {
        public static final int DEFAULT_UPPER = 70;
        public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
        public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(60);

        public Policy {
            Objects.requireNonNull(window, "window == null");
            Objects.requireNonNull(minInterval, "minInterval == null");
            if (minActive < 1) throw new IllegalArgumentException("minActive < 1: " + minActive);
            if (lower < 0 || upper > 100 || lower >= upper) throw new IllegalArgumentException("thresholds " + lower + ".." + upper);
        }
    }
}
