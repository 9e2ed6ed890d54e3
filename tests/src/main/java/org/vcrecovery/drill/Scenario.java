package org.vcrecovery.drill;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A drill other than the single-VM failover ({@code tests/drill --scenario NAME}): it sets its own
 * scene on the sandbox, drives it, prints its own timeline and summary, writes JSON and a chart
 * with {@code --json}, and returns the drill's exit code (0 only when it met its conditions, e.g.
 * every service recovered or no client request failed). The failover drill itself is
 * {@link Stage}; each further scenario is one class registered in {@link Scenarios}.
 */
public interface Scenario {
    /** What a scenario gets from the drill's command line and the sandbox. */
    record Context(Env env, Path repo, Launchers launchers, Path dir, Progress progress, PrintStream out,
                   int runs, int vms, boolean serve, boolean viaProxy, Path json) {
    }

    int run(Context ctx) throws Exception;
}
