package org.vcrecovery.vcr.standby.lxd;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/** One HTTP exchange with the LXD daemon: over HTTPS, or over its unix socket. */
interface LxdTransport extends AutoCloseable {

    /** An answer: HTTP status and body text. */
    record Response(int status, String body) {
        public Response {
            Objects.requireNonNull(body, "body == null");
        }
    }

    /**
     * Sends {@code method pathAndQuery} with an optional JSON body and returns the answer.
     *
     * @throws HttpTimeoutException when no full answer came within {@code timeout}
     * @throws IOException when the daemon cannot be reached or the answer is not HTTP
     */
    Response exchange(String method, String pathAndQuery, String jsonBody, Duration timeout) throws IOException;

    /** Where requests go, for messages (never contains a secret). */
    String describe();

    @Override
    void close();
}
