package org.vcrecovery.vcr;

import java.util.Objects;

/**
 * A failure a command reports to its caller as one line on stderr and an {@link ExitCode}.
 *
 * <p>The message must be readable by an operator at 3 am: say what was wrong and, where it
 * helps, what to do. It must never contain a secret.
 */
public class VcrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    public VcrException(ExitCode exitCode, String message) {
        super(Objects.requireNonNull(message, "message == null"));
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode == null");
    }

    public VcrException(ExitCode exitCode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message == null"), cause);
        this.exitCode = Objects.requireNonNull(exitCode, "exitCode == null");
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
