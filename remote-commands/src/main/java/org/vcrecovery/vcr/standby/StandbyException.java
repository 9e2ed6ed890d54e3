package org.vcrecovery.vcr.standby;

import java.util.Objects;

/**
 * A standby operation that failed, with a {@link Code} so callers classify it without
 * {@code instanceof} chains.
 *
 * <p>The message names the backend and the target and says what happened; it never contains a
 * secret (a client key, a password in a URI).
 */
public class StandbyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Code {
        /** The target does not exist in the backend. */
        NOT_FOUND,
        /** The backend (daemon, API, tool) could not be reached or is not installed. */
        UNREACHABLE,
        /** The backend did not reach the wanted state before the deadline. */
        TIMEOUT,
        /** The backend refused the request (permissions, forbidden, authentication). */
        REFUSED,
        /** The request was malformed: a bad target name, a bad or missing config value. */
        INVALID,
        /** Anything else: the backend tried and failed. */
        FAILED
    }

    private final Code code;

    public StandbyException(Code code, String message) {
        super(Objects.requireNonNull(message, "message == null"));
        this.code = Objects.requireNonNull(code, "code == null");
    }

    public StandbyException(Code code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message == null"), cause);
        this.code = Objects.requireNonNull(code, "code == null");
    }

    public Code code() {
        return code;
    }
}
