package org.vcrecovery.vcr.recover;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.vcrecovery.vcr.config.ConfigOptions;

/**
 * The command line of {@code vcr recover} read without picocli, for the plain lines a Zabbix
 * action sends. Building picocli's model of {@link RecoverCommand} by reflection is ~100 ms of
 * CPU in a fresh JVM, a third of a warm-standby recovery; this reads the same options the same
 * way in well under a millisecond.
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

    /** The command {@code args} (the words after {@code recover}) describe, or null: ask picocli. */
    public static RecoverCommand parse(String[] args) {
        RecoverCommand c = new RecoverCommand();
        Path config = null, runbooks = null, stateDir = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) return null;
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!seen.add(name)) return null;
            switch (name) {
                case "--plan", "--json", "--failback", "--start-primary", "--verbose", "--pending" -> {
                    if (eq >= 0) return null;
                    switch (name) {
                        case "--plan" -> c.plan = true;
                        case "--pending" -> c.pending = true;
                        case "--json" -> c.json = true;
                        case "--failback" -> c.failback = true;
                        case "--start-primary" -> c.startPrimary = true;
                        default -> c.verbose = true;
                    }
                    continue;
                }
                case "--runbook", "--event-id", "--trigger-host", "--vm", "--standby", "--config", "--runbooks",
                        "--state-dir" -> { }
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
                    case "--runbook" -> c.runbook = value;
                    case "--event-id" -> c.eventId = value;
                    case "--trigger-host" -> c.triggerHost = value;
                    case "--vm" -> c.vm = value;
                    case "--standby" -> c.standby = value;
                    case "--config" -> config = Path.of(value);
                    case "--runbooks" -> runbooks = Path.of(value);
                    default -> stateDir = Path.of(value);
                }
            } catch (InvalidPathException e) {
                return null;
            }
        }
        c.options = ConfigOptions.of(config, runbooks, stateDir);
        return c;
    }
}
