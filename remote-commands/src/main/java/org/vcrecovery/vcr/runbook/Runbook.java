package org.vcrecovery.vcr.runbook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.ladder.LadderStep;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackendFactory.Guest;

/**
 * How to recover one service: its primary, the standbys to try in order, the checks that prove
 * the service answers, the DNS record to switch, the fencing policy, the optional recovery
 * ladder and the limits. Read from YAML by {@link RunbookReader}, which validates every field;
 * the records here only check what a programming error could get wrong (nulls).
 *
 * @param source the file it was read from (for messages); may be null for runbooks built in code
 */
public record Runbook(
        String service,
        String zabbixHost,
        Primary primary,
        List<Standby> standbys,
        List<Check> checks,
        Dns dns,
        Fencing fencing,
        List<LadderStep> ladder,
        Limits limits,
        Path source) {

    public Runbook {
        Objects.requireNonNull(service, "service == null");
        Objects.requireNonNull(zabbixHost, "zabbixHost == null");
        Objects.requireNonNull(primary, "primary == null");
        standbys = List.copyOf(standbys);
        checks = List.copyOf(checks);
        Objects.requireNonNull(dns, "dns == null");
        Objects.requireNonNull(fencing, "fencing == null");
        ladder = List.copyOf(ladder);
        Objects.requireNonNull(limits, "limits == null");
    }

    /** The standby called {@code name}, if the runbook has one. */
    public Optional<Standby> standby(String name) {
        return standbys.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The failed primary. {@code domain} and {@code uri} are null when the primary is not a
     * libvirt domain (then only {@link FencingMode#VERIFY_DEAD} by its port applies).
     * {@code kvmHost} (null = unset) is the Zabbix host name of the KVM host the primary runs
     * on: {@code vcr recover --host-down KVMHOST} recovers every runbook that names it.
     */
    public record Primary(String backend, String uri, String domain, String address, String kvmHost) {
        public Primary {
            Objects.requireNonNull(address, "address == null");
        }

        /** A primary whose KVM host is not named. */
        public Primary(String backend, String uri, String domain, String address) {
            this(backend, uri, domain, address, null);
        }
    }

    /** What a standby is, which decides how it is brought up. */
    public enum StandbyKind {
        WARM_CONTAINER("warm-container", Guest.CONTAINER, "already running: check only"),
        COLD_CONTAINER("cold-container", Guest.CONTAINER, "start the container, then check"),
        SUSPENDED_VM("suspended-vm", Guest.VM, "resume the suspended VM, then check"),
        VM("vm", Guest.VM, "start the VM, then check");

        private final String yaml;
        private final Guest guest;
        private final String meaning;

        StandbyKind(String yaml, Guest guest, String meaning) {
            this.yaml = yaml;
            this.guest = guest;
            this.meaning = meaning;
        }

        /** A container or a VM: the backend must run that guest ({@link StandbyBackendFactory#guests()}). */
        public Guest guest() {
            return guest;
        }

        public String yaml() {
            return yaml;
        }

        public String meaning() {
            return meaning;
        }

        /** True when we do not start it: it must already be running. */
        public boolean warm() {
            return this == WARM_CONTAINER;
        }
    }

    /**
     * One standby. {@code target} is the backend's name for it (container or domain name;
     * defaults to {@code name}); {@code address} may be null (then the backend is asked);
     * {@code port} (0 = unset) replaces the port of every check for this standby.
     * {@code zabbixHost} (null = unset) is the Zabbix host that monitors the machine this standby
     * runs on (the recovery VM): {@code vcr recover} sends its one-line report to that host's
     * {@code vcr.recovery.report} trapper item.
     */
    public record Standby(String name, StandbyKind kind, String backend, Map<String, String> options,
                          String target, String address, int port, String zabbixHost) {
        public Standby {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(kind, "kind == null");
            Objects.requireNonNull(backend, "backend == null");
            options = Map.copyOf(options);
            Objects.requireNonNull(target, "target == null");
        }

        /** A standby without a Zabbix host of its own. */
        public Standby(String name, StandbyKind kind, String backend, Map<String, String> options,
                       String target, String address, int port) {
            this(name, kind, backend, options, target, address, port, null);
        }
    }

    /** A service check: protocol greeting on a port, each attempt bounded by {@code timeout}. */
    public record Check(Protocol protocol, int port, Duration timeout) {
        public Check {
            Objects.requireNonNull(protocol, "protocol == null");
            Objects.requireNonNull(timeout, "timeout == null");
        }

        /** This check on {@code standbyPort} instead, when that is set (non-zero). */
        public Check onPort(int standbyPort) {
            return standbyPort == 0 ? this : new Check(protocol, standbyPort, timeout);
        }
    }

    /**
     * The record to move. {@code server} is an IP address literal (no lookup); {@code tsigFile}
     * is null only when the runbook said {@code tsig: none} (unsigned updates, by choice).
     */
    public record Dns(String server, int port, String zone, String name, String type, int ttl, Path tsigFile) {
        public Dns {
            Objects.requireNonNull(server, "server == null");
            Objects.requireNonNull(zone, "zone == null");
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(type, "type == null");
        }

        /** The record's absolute name, ending in a dot. */
        public String fqdn() {
            String z = zone.endsWith(".") ? zone : zone + ".";
            if (name.endsWith(".")) return name;
            if (name.equals("@")) return z;
            return name + "." + z;
        }
    }

    /** How the failed primary is taken out before DNS moves. */
    public enum FencingMode {
        DESTROY("destroy"), SUSPEND("suspend"), VERIFY_DEAD("verify-dead");

        private final String yaml;

        FencingMode(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }
    }

    /** The split-brain rule: {@code allowUnfenced} lets DNS move even when fencing failed. */
    public record Fencing(FencingMode mode, boolean allowUnfenced) {
        public Fencing {
            Objects.requireNonNull(mode, "mode == null");
        }
    }

    /**
     * Time limits. {@code dedupWindow} is null when the config file's window applies.
     * {@code retries} is how many times a failed DNS update or acknowledgement is retried.
     */
    public record Limits(Duration fenceTimeout, Duration startTimeout, Duration checkTimeout,
                         Duration dnsTimeout, Duration ackTimeout, Duration deadline,
                         int retries, Duration dedupWindow) {
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60), 1, null);

        public Limits {
            Objects.requireNonNull(fenceTimeout, "fenceTimeout == null");
            Objects.requireNonNull(startTimeout, "startTimeout == null");
            Objects.requireNonNull(checkTimeout, "checkTimeout == null");
            Objects.requireNonNull(dnsTimeout, "dnsTimeout == null");
            Objects.requireNonNull(ackTimeout, "ackTimeout == null");
            Objects.requireNonNull(deadline, "deadline == null");
            if (retries < 0) throw new IllegalArgumentException("retries < 0: " + retries);
        }
    }
}
