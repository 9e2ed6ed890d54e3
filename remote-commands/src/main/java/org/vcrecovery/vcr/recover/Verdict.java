package org.vcrecovery.vcr.recover;

import java.util.Objects;
import org.vcrecovery.vcr.ExitCode;

/**
 * What a {@link Stage} decided: go on with the next stage ({@link #CONTINUE}), or end the run
 * with this exit code and headline ({@link #stop}). A run's outcome is the first stop, or the
 * pipeline's own success headline when every stage went on.
 */
record Verdict(ExitCode exit, String headline) {
    static final Verdict CONTINUE = new Verdict(null, null);

    static Verdict stop(ExitCode exit, String headline) {
        return new Verdict(Objects.requireNonNull(exit, "exit == null"), Objects.requireNonNull(headline, "headline == null"));
    }

    boolean stops() {
        return exit != null;
    }

    /** Runs {@code stages} in order until one stops; {@link #CONTINUE} when none did. */
    static Verdict first(RunContext run, Stage... stages) {
        for (Stage s : stages) {
            Verdict v = s.run(run);
            if (v.stops()) return v;
        }
        return CONTINUE;
    }
}
