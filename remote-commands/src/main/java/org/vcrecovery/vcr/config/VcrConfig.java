package org.vcrecovery.vcr.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of {@code vcr} from {@code /etc/vcrecovery/vcr.yaml} (or {@code --config FILE},
 * or {@code $VCR_CONFIG}), after environment and command-line overrides. Read by
 * {@link ConfigLoader}. Holds paths to secret files, never the secrets.
 *
 * @param zabbix      the Zabbix API settings, or null when none are configured (then no
 *                    maintenance check and no acknowledgement happen, and reports say so)
 * @param runbookDir  where runbooks named by {@code --runbook NAME} live
 * @param stateDir    locks, dedup records and {@code audit.jsonl}
 * @param dedupWindow after a completed recovery, events for the same service inside this window are dropped
 * @param source      the file read, or null when none existed (all defaults)
 * @param breaker     the circuit breaker for mass failures ({@code breaker:}; {@link Breaker#DEFAULT} when absent)
 * @param hostDown    the concurrency limits of {@code vcr recover --host-down} ({@code host-down:}; {@link HostDown#DEFAULT} when absent)
 */
public record VcrConfig(Zabbix zabbix, Path runbookDir, Path stateDir, Duration dedupWindow, Path source, Breaker breaker,
                        HostDown hostDown) {
    public static final Path DEFAULT_FILE = Path.of("/etc/vcrecovery/vcr.yaml");
    public static final Path DEFAULT_RUNBOOKS = Path.of("/etc/vcrecovery/runbooks");
    public static final Path DEFAULT_STATE = Path.of("/var/lib/vcrecovery");
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(10);

    public VcrConfig {
        Objects.requireNonNull(runbookDir, "runbookDir == null");
        Objects.requireNonNull(stateDir, "stateDir == null");
        Objects.requireNonNull(dedupWindow, "dedupWindow == null");
        Objects.requireNonNull(breaker, "breaker == null");
        Objects.requireNonNull(hostDown, "hostDown == null");
    }

    /** Settings with the default {@link HostDown} limits. */
    public VcrConfig(Zabbix zabbix, Path runbookDir, Path stateDir, Duration dedupWindow, Path source, Breaker breaker) {
        this(zabbix, runbookDir, stateDir, dedupWindow, source, breaker, HostDown.DEFAULT);
    }

    /** Settings with the default {@link Breaker}. */
    public VcrConfig(Zabbix zabbix, Path runbookDir, Path stateDir, Duration dedupWindow, Path source) {
        this(zabbix, runbookDir, stateDir, dedupWindow, source, Breaker.DEFAULT);
    }

    /**
     * The circuit breaker ({@code breaker: {limit: N, window: 60s}}): once {@code limit} other
     * services failed inside {@code window}, automatic recoveries are held (see
     * {@code org.vcrecovery.vcr.breaker.FailureWindow}). The default, 3 in 60 s, suits a small fleet.
     */
    public record Breaker(int limit, Duration window) {
        public static final int MAX_LIMIT = 10_000;
        public static final Duration MAX_WINDOW = Duration.ofDays(1);
        public static final Breaker DEFAULT = new Breaker(3, Duration.ofSeconds(60));

        public Breaker {
            Objects.requireNonNull(window, "window == null");
            if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit out of range: " + limit);
            if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("window out of range: " + window);
            }
        }
    }

    /**
     * How many recoveries {@code vcr recover --host-down} runs at once ({@code host-down:
     * {parallel: N, per-standby-host: N, per-zone: N, per-backend: N}}): at most {@code parallel}
     * in all, and at most the other limits per standby host (the standby's zabbix-host, else its
     * backend and options), per DNS zone (server and zone) and per standby backend. The defaults
     * suit the 2-core sandbox's 50 VMs: 16 / 8 / 16 / 16.
     */
    public record HostDown(int parallel, int perStandbyHost, int perZone, int perBackend) {
        public static final int MAX = 1000;
        public static final HostDown DEFAULT = new HostDown(16, 8, 16, 16);

        public HostDown {
            for (int v : new int[] {parallel, perStandbyHost, perZone, perBackend}) {
                if (v < 1 || v > MAX) throw new IllegalArgumentException("host-down limit out of range: " + v);
            }
        }
    }

    /** What to do when Zabbix cannot be asked whether the primary's host is in maintenance. */
    public enum MaintenanceUnknown {
        /** Recover anyway and say so in the report (the default: see ConfigLoader's javadoc). */
        PROCEED,
        /** Exit UNREACHABLE without touching anything. */
        REFUSE
    }

    /**
     * How to reach the Zabbix API: a token file, or a user and a password file (both files
     * must be 0600/0400 and owned by the user running vcr). {@code version} (such as {@code 6.0}),
     * when set, saves the {@code apiinfo.version} round trip; null means ask the server.
     * {@code trapper} (null = unset) is the Zabbix server's (or proxy's) trapper port, where
     * {@code vcr recover} sends its one-line report to the {@code vcr.recovery.report} item.
     */
    public record Zabbix(URI url, Path tokenFile, String user, Path passwordFile, Duration timeout,
                         MaintenanceUnknown maintenanceUnknown, String version, Trapper trapper) {
        /** Settings without a trapper address: no recovery report is sent. */
        public Zabbix(URI url, Path tokenFile, String user, Path passwordFile, Duration timeout,
                      MaintenanceUnknown maintenanceUnknown, String version) {
            this(url, tokenFile, user, passwordFile, timeout, maintenanceUnknown, version, null);
        }

        public Zabbix {
            Objects.requireNonNull(url, "url == null");
            Objects.requireNonNull(timeout, "timeout == null");
            Objects.requireNonNull(maintenanceUnknown, "maintenanceUnknown == null");
            if (tokenFile == null && (user == null || passwordFile == null)) {
                throw new IllegalArgumentException("zabbix needs token-file, or user and password-file");
            }
        }
    }

    /** A Zabbix trapper endpoint ({@code zabbix.trapper: host:port}); the host is looked up when used. */
    public record Trapper(String host, int port) {
        public static final int DEFAULT_PORT = 10051;

        public Trapper {
            Objects.requireNonNull(host, "host == null");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
