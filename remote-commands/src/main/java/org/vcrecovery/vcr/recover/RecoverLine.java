package org.vcrecovery.vcr.recover;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The command line of {@code vcr recover} read without picocli, for the plain lines a Zabbix
 * action sends. Building picocli's model of {@link RecoverCommand} by reflection is ~100 ms of
 * CPU in a fresh JVM, a third of a warm-standby recovery; this reads the same options the same
 * way in well under a millisecond, into the same {@link RecoverRequest} picocli's command makes.
 *
 * <p>It takes only what it can read exactly as picocli would: the options of
 * {@link RecoverCommand} (and {@code --verbose}), each at most once, as {@code --opt VALUE} or
 * {@code --opt=VALUE}, with no separate value starting with {@code -}. Anything else (help,
 * version, an unknown or repeated option, a missing value, an {@code @file} argument, a bad
 * path) makes {@link #parse} return null, and picocli reads the line, with its own messages.
 * RecoverLineTest holds the two readings equal.
 */
public final class RecoverLine {
    private RecoverLine() {}

    /** The request {@code args} (the words after {@code recover}) make, or null: ask picocli. */
    public static RecoverRequest parse(String[] args) {
        String runbook = null, eventId = null, triggerHost = null, vm = null, standby = null, hostDown = null;
        boolean plan = false, json = false, failback = false, startPrimary = false, pending = false, verbose = false;
        Path config = null, runbooks = null, stateDir = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) return null;
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!seen.add(name)) return null;
            switch (name) {
                case "--plan", "--json", "--failback", "--start-primary", "--pending", "--verbose" -> {
                    if (eq >= 0) return null;
                    switch (name) {
                        case "--plan" -> plan = true;
                        case "--json" -> json = true;
                        case "--failback" -> failback = true;
                        case "--start-primary" -> startPrimary = true;
                        case "--pending" -> pending = true;
                        default -> verbose = true;
                    }
                    continue;
                }
                case "--runbook", "--event-id", "--trigger-host", "--vm", "--standby", "--config", "--runbooks",
                        "--state-dir", "--host-down" -> { }
                default -> {
                    return null;
                }
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else {
                if (++i == args.length || args[i].startsWith("-") || args[i].startsWith("@")) return null;
                value = args[i];
            }
            try {
                switch (name) {
                    case "--runbook" -> runbook = value;
                    case "--event-id" -> eventId = value;
                    case "--trigger-host" -> triggerHost = value;
                    case "--vm" -> vm = value;
                    case "--standby" -> standby = value;
                    case "--host-down" -> hostDown = value;
                    case "--config" -> config = Path.of(value);
                    case "--runbooks" -> runbooks = Path.of(value);
                    default -> stateDir = Path.of(value);
                }
            } catch (InvalidPathException e) {
                return null;
            }
        }
        return new RecoverRequest(runbook, eventId, triggerHost, vm, standby, plan, json, failback, startPrimary, pending, verbose,
                config, runbooks, stateDir, System.getenv(), hostDown);
    }
}
