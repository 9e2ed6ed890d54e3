package org.vcrecovery.drill;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** Progress lines on the drill's output, each with the seconds since the drill started. */
final class Progress {
    private final PrintStream out;
    private final Instant start = Instant.now();

    Progress(PrintStream out) {
        this.out = out;
    }

    void say(String line) {
        out.printf("[drill %5.1fs] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, line);
        out.flush();
    }

    PrintStream out() {
        return out;
    }
}
