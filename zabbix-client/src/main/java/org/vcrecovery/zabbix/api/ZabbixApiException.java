package org.vcrecovery.zabbix.api;

import java.io.IOException;

/**
 * A Zabbix API call that did not succeed. One checked type for every failure of a call, an
 * {@link IOException} so callers that only care about "it failed" catch one thing; the
 * {@link #reason()} classifies it (for exit codes, retries) without {@code instanceof} chains.
 *
 * <p>For {@link Reason#API_ERROR} and {@link Reason#AUTH_FAILED} answered by the server,
 * {@link #code()}, {@link #apiMessage()} and {@link #data()} carry the JSON-RPC error object; for
 * {@link Reason#HTTP_STATUS} {@link #httpStatus()} is set. The message always names the API method
 * and never contains a credential. Misuse (null or invalid arguments) throws unchecked exceptions instead.
 */
public class ZabbixApiException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Reason {
        /** The server answered with a JSON-RPC error (invalid parameters, no permission, ...). */
        API_ERROR,
        /** Wrong credentials, an expired session, an invalid or disabled token. */
        AUTH_FAILED,
        /** The object the call needs (a host by name, ...) does not exist. */
        NOT_FOUND,
        /** The HTTP status was not 200 (a 500 from PHP, a 404 from a wrong URL, a 502 from a proxy). */
        HTTP_STATUS,
        /** The body was not a JSON-RPC answer (a PHP error page, a login page). */
        NOT_JSON,
        /** No answer within the connect or request timeout. */
        TIMEOUT,
        /** The API could not be reached (refused, unknown host, connection reset). */
        UNREACHABLE,
        /** The calling thread was interrupted. */
        INTERRUPTED,
        /** The server runs a Zabbix version this client does not know (it sends nothing else to such a server). */
        UNSUPPORTED_VERSION,
        /** The answer was longer than the call allows; it was not read to its end. */
        TOO_LARGE
    }

    private final Reason reason;
    private final String method;
    private final Integer code;
    private final String apiMessage;
    private final String data;
    private final int httpStatus;

    ZabbixApiException(Reason reason, String method, String message, Integer code, String apiMessage, String data,
            int httpStatus, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.method = method;
        this.code = code;
        this.apiMessage = apiMessage;
        this.data = data;
        this.httpStatus = httpStatus;
    }

    static ZabbixApiException of(Reason reason, String method, String message, Throwable cause) {
        return new ZabbixApiException(reason, method, message, null, null, null, 0, cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The API method that failed, e.g. {@code host.get}. */
    public String method() {
        return method;
    }

    /** The JSON-RPC error code (e.g. -32602), or null when the server sent no error object. */
    public Integer code() {
        return code;
    }

    /** The JSON-RPC error message (e.g. "Invalid params."), or null. */
    public String apiMessage() {
        return apiMessage;
    }

    /** The JSON-RPC error data, Zabbix's detailed reason, or null. */
    public String data() {
        return data;
    }

    /** The HTTP status for {@link Reason#HTTP_STATUS}, else 0 (or 200 for errors inside a 200 answer). */
    public int httpStatus() {
        return httpStatus;
    }
}
