package org.vcrecovery.drill;

/** A drill failure with the exit code the drill ends with and a one-line message. */
public final class DrillException extends RuntimeException {
    private final int exitCode;

    public DrillException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public DrillException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
