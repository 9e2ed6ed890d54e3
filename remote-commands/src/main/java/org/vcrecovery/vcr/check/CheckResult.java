package org.vcrecovery.vcr.check;

import java.util.Objects;
import org.vcrecovery.vcr.Json;

/**
 * The outcome of checking one service endpoint.
 *
 * @param up       whether the service answered as its protocol should
 * @param protocol the protocol that was checked
 * @param endpoint {@code ip:port} as checked (IPv6 in brackets; the host name when it did not resolve)
 * @param detail   when up, what the server said (greeting or status line, at most 200
 *                 printable characters; {@code "connected"} for TCP); when down, why, in words
 *                 ({@code "connection refused"}, {@code "no greeting within 500 ms"},
 *                 {@code "expected SMTP 220 greeting, got: SSH-2.0-OpenSSH_9.2p1"})
 * @param millis   time from the first connect attempt to the outcome, in milliseconds
 * @param attempts how many connect attempts were made (at least 1)
 */
public record CheckResult(boolean up, Protocol protocol, String endpoint, String detail, long millis, int attempts) {
    public CheckResult {
        Objects.requireNonNull(protocol, "protocol == null");
        Objects.requireNonNull(endpoint, "endpoint == null");
        Objects.requireNonNull(detail, "detail == null");
        if (millis < 0) throw new IllegalArgumentException("millis < 0: " + millis);
        if (attempts < 1) throw new IllegalArgumentException("attempts < 1: " + attempts);
    }

    /** One line for humans and Zabbix: {@code 127.0.0.1:25 smtp up in 3 ms: 220 mail ESMTP}. */
    public String summary() {
        StringBuilder sb = new StringBuilder()
                .append(endpoint).append(' ').append(protocol.label())
                .append(up ? " up in " : " down after ").append(millis).append(" ms");
        if (attempts > 1) sb.append(" (").append(attempts).append(" attempts)");
        return sb.append(": ").append(detail).toString();
    }

    /**
     * The result as one JSON object (through {@link Json}: Jackson stays off this path):
     * {@code {"up":true,"protocol":"smtp","endpoint":"127.0.0.1:25","detail":"220 ...","millis":3,"attempts":1}}.
     */
    public String toJson() {
        return new Json().open().field("up", up).field("protocol", protocol.label()).field("endpoint", endpoint)
                .field("detail", detail).field("millis", millis).field("attempts", attempts).close().toString();
    }
}
