package org.vcrecovery.vcr.standby.lxc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs one external tool with an argv list (never a shell) and a time limit. The seam that lets
 * tests record the argv the LXC backend builds.
 */
interface ToolRunner {

    /** What a tool did: exit status and its (bounded) output. */
    record Result(int exitCode, String stdout, String stderr) {
        public Result {
            Objects.requireNonNull(stdout, "stdout == null");
            Objects.requireNonNull(stderr, "stderr == null");
        }

        /** The last non-blank line of stderr (or stdout), for error messages. */
        String lastError() {
            String s = stderr.isBlank() ? stdout : stderr;
            String[] lines = s.strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }

    /**
     * Runs {@code argv} and waits at most {@code timeout}.
     *
     * @throws org.vcrecovery.vcr.standby.StandbyException UNREACHABLE when the tool cannot be
     *         started (not installed), TIMEOUT when it runs past {@code timeout} (it is killed)
     */
    Result run(List<String> argv, Duration timeout);
}
