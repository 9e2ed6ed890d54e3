package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * One JSON-RPC request or batch: the request body, the answer's {@code result} or error mapped to
 * a {@link ZabbixApiException}, a batch's answers matched to its calls by id, and retries of
 * idempotent reads. Knows nothing about logins: the caller passes the {@code auth} field or the
 * bearer credential (never logged). The HTTP exchange and its failures are {@link HttpPost}'s.
 */
final class JsonRpcTransport {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcTransport.class);

    private final HttpPost http;
    private final String where;
    private final int readRetries;
    private final JsonCodec json;
    private final AtomicLong ids = new AtomicLong();

    JsonRpcTransport(URI uri, Duration connectTimeout, Duration requestTimeout, int readRetries, JsonCodec json) {
        this.http = new HttpPost(uri, connectTimeout, requestTimeout, json);
        this.where = http.where();
        this.readRetries = readRetries;
        this.json = json;
    }

    /** True for the methods that change nothing and may be retried. */
    static boolean isRead(String method) {
        return method.endsWith(".get") || method.equals("apiinfo.version");
    }

    /**
     * Calls {@code method} and returns its {@code result}.
     *
     * @param auth     the value of the body's {@code auth} field (Zabbix before 6.4), or null
     * @param bearer   the {@code Authorization: Bearer} credential (6.4 and later), or null
     * @param maxBytes the longest answer this call accepts: the body is parsed as it arrives and
     *                 the call fails ({@link Reason#TOO_LARGE}) at the first byte past it, so an
     *                 oversize answer never sits in memory whole
     */
    JsonNode call(String method, Object params, String auth, String bearer, long maxBytes) throws ZabbixApiException {
        int attempts = isRead(method) ? 1 + readRetries : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return once(method, params, auth, bearer, maxBytes);
            } catch (ZabbixApiException e) {
                if (attempt >= attempts || !retryable(e)) throw e;
                log.debug("retrying {} (attempt {} of {}) after: {}", method, attempt + 1, attempts, e.getMessage());
            }
        }
    }

    private static boolean retryable(ZabbixApiException e) {
        return switch (e.reason()) {
            case TIMEOUT, UNREACHABLE -> true;
            case HTTP_STATUS -> e.httpStatus() >= 500;
            default -> false;
        };
    }

    private JsonNode once(String method, Object params, String auth, String bearer, long maxBytes)
            throws ZabbixApiException {
        byte[] bytes = json.write(request(method, params, auth, ids.incrementAndGet()));
        return http.exchange(method, bytes, bearer, maxBytes, (status, type, in) -> {
            JsonNode root = http.root(method, status, type, in);
            if (!root.isObject()) throw http.notJson(method, status, type, in);
            return result(method, root, in);
        });
    }

    private static Map<String, Object> request(String method, Object params, String auth, long id) {
        Map<String, Object> body = new LinkedHashMap<>(8);
        body.put("jsonrpc", "2.0");
        body.put("method", method);
        body.put("params", params);
        if (auth != null) body.put("auth", auth);
        body.put("id", id);
        return body;
    }

    /** One request of a {@link #batch}. */
    record Call(String method, Object params) {}

    /** One answer of a {@link #batch}: the call's result, or why it has none. */
    record Answer(JsonNode result, ZabbixApiException failure) {
        JsonNode get() throws ZabbixApiException {
            if (failure != null) throw failure;
            return result;
        }
    }

    /**
     * Sends {@code calls} as one JSON-RPC batch (one HTTP request, answered in one go by the
     * frontend) and returns their answers in the same order. A call the server refused (a
     * JSON-RPC error in its answer) or left unanswered fails alone, in its {@link Answer}; a
     * failure of the request as a whole (transport, HTTP status, a body that is not the batch's
     * answer, an error for the whole batch) is thrown, named after every method in it. Reads only:
     * retried as {@link #call} retries a read.
     */
    List<Answer> batch(List<Call> calls, String auth, String bearer, long maxBytes) throws ZabbixApiException {
        if (calls.isEmpty()) throw new IllegalArgumentException("calls is empty");
        for (Call c : calls) if (!isRead(c.method())) throw new IllegalArgumentException("not a read: " + c.method());
        String label = String.join("+", calls.stream().map(Call::method).toList());
        for (int attempt = 1; ; attempt++) {
            try {
                return batchOnce(label, calls, auth, bearer, maxBytes);
            } catch (ZabbixApiException e) {
                if (attempt >= 1 + readRetries || !retryable(e)) throw e;
                log.debug("retrying {} (attempt {} of {}) after: {}", label, attempt + 1, 1 + readRetries, e.getMessage());
            }
        }
    }

    private List<Answer> batchOnce(String label, List<Call> calls, String auth, String bearer, long maxBytes)
            throws ZabbixApiException {
        List<Object> body = new ArrayList<>(calls.size());
        long first = ids.getAndAdd(calls.size()) + 1;
        for (int i = 0; i < calls.size(); i++) body.add(request(calls.get(i).method(), calls.get(i).params(), auth, first + i));
        byte[] bytes = json.write(body);
        return http.exchange(label, bytes, bearer, maxBytes, (status, type, in) -> {
            JsonNode root = http.root(label, status, type, in);
            if (root.isObject()) {
                result(label, root, in); // an error for the whole batch throws; a lone result is not the batch's answer
                throw http.notJson(label, status, type, in);
            }
            if (!root.isArray()) throw http.notJson(label, status, type, in);
            Map<Long, JsonNode> byId = new HashMap<>();
            for (JsonNode r : root) if (r.path("id").canConvertToLong()) byId.put(r.path("id").asLong(), r);
            List<Answer> out = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                String method = calls.get(i).method();
                JsonNode r = byId.get(first + i);
                if (r == null || !r.isObject()) {
                    out.add(new Answer(null, new ZabbixApiException(Reason.NOT_JSON, method, where + " answered a batch"
                            + " without an answer to " + method, null, null, null, status, null)));
                    continue;
                }
                try {
                    out.add(new Answer(result(method, r, in), null));
                } catch (ZabbixApiException e) {
                    out.add(new Answer(null, e));
                }
            }
            return out;
        });
    }

    /** The {@code result} of one JSON-RPC answer object, or the exception for its error. */
    private JsonNode result(String method, JsonNode answer, BoundedBody in) throws ZabbixApiException {
        JsonNode error = answer.get("error");
        if (error != null && error.isObject()) {
            Integer code = error.hasNonNull("code") ? error.get("code").asInt() : null;
            String message = error.path("message").asText(null);
            String data = error.path("data").asText(null);
            Reason reason = isAuthFailure(message, data) ? Reason.AUTH_FAILED : Reason.API_ERROR;
            throw new ZabbixApiException(reason, method, "Zabbix API " + method + " failed: " + message
                    + (data == null || data.isEmpty() ? "" : " " + data) + " (code " + code + ")",
                    code, message, data, 200, null);
        }
        JsonNode result = answer.get("result");
        if (result == null) {
            throw new ZabbixApiException(Reason.NOT_JSON, method, where + " answered " + method
                    + " with JSON that is neither a result nor an error: " + HttpPost.snippet(in.head()), null, null, null, 200, null);
        }
        return result;
    }

    static boolean isAuthFailure(String message, String data) {
        String text = ((message == null ? "" : message) + " " + (data == null ? "" : data)).toLowerCase(java.util.Locale.ROOT);
        return text.contains("not authorised") || text.contains("not authorized") || text.contains("re-login")
                || text.contains("session terminated") || text.contains("incorrect user name or password")
                || text.contains("login name or password is incorrect") || text.contains("api token expired")
                || text.contains("temporarily blocked");
    }
}
