package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * One JSON-RPC request over HTTP and the mapping of every way it can fail to a
 * {@link ZabbixApiException}. Retries idempotent reads only. Knows nothing about logins: the
 * caller passes the {@code auth} field or the bearer credential (never logged).
 *
 * <p>Uses {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: in a fresh JVM the
 * latter costs ~600 ms before the first answer (SSL context, selector thread; measured median
 * 705 ms vs 96 ms for one plain-HTTP call on this project's 2-core box), and {@code vcr} starts a
 * fresh JVM per Zabbix action. Fixed-length streaming mode keeps the JDK from silently re-sending
 * a POST on a stale keep-alive connection.
 */
final class JsonRpcTransport {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcTransport.class);

    private final URL url;
    private final String where;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final int readRetries;
    private final JsonCodec json;
    private final AtomicLong ids = new AtomicLong();

    JsonRpcTransport(URI uri, Duration connectTimeout, Duration requestTimeout, int readRetries, JsonCodec json) {
        try {
            this.url = uri.toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
        this.where = "Zabbix API at " + withoutUserInfo(uri);
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.requestTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
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
        return exchange(method, bytes, bearer, maxBytes, (status, type, in) -> {
            JsonNode root = root(method, status, type, in);
            if (!root.isObject()) throw notJson(method, status, type, in);
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
        return exchange(label, bytes, bearer, maxBytes, (status, type, in) -> {
            JsonNode root = root(label, status, type, in);
            if (root.isObject()) {
                result(label, root, in); // an error for the whole batch throws; a lone result is not the batch's answer
                throw notJson(label, status, type, in);
            }
            if (!root.isArray()) throw notJson(label, status, type, in);
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

    /** Reads an answer that arrived with {@code status} and content {@code type}. */
    private interface Reader<T> {
        T read(int status, String type, BoundedBody in) throws IOException;
    }

    /** POSTs {@code bytes} and reads the answer, mapping every way it fails to a {@link ZabbixApiException}. */
    private <T> T exchange(String method, byte[] bytes, String bearer, long maxBytes, Reader<T> reader)
            throws ZabbixApiException {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(requestTimeoutMillis);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(bytes.length);
            c.setRequestProperty("Content-Type", "application/json-rpc");
            c.setRequestProperty("Accept", "application/json");
            if (bearer != null) c.setRequestProperty("Authorization", "Bearer " + bearer);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
            int status = c.getResponseCode();
            String type = c.getContentType() == null ? "no Content-Type" : c.getContentType();
            try (BoundedBody in = new BoundedBody(status < 400 ? c.getInputStream() : c.getErrorStream(), maxBytes)) {
                return reader.read(status, type, in);
            }
        } catch (ZabbixApiException e) {
            if (e.reason() != Reason.API_ERROR && e.reason() != Reason.AUTH_FAILED && c != null) c.disconnect();
            throw e;
        } catch (BoundedBody.TooLarge e) {
            c.disconnect(); // the rest is never read: the connection must not be reused
            throw ZabbixApiException.of(Reason.TOO_LARGE, method, where + " answered " + method + " with more than "
                    + maxBytes + " bytes, more than this call ever needs; stopped reading it", e);
        } catch (SocketTimeoutException e) {
            boolean connect = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect");
            if (c != null) c.disconnect();
            throw ZabbixApiException.of(Reason.TIMEOUT, method, connect
                    ? "cannot connect to the " + where + " within " + connectTimeoutMillis + " ms (" + method + ")"
                    : where + " did not answer " + method + " within " + requestTimeoutMillis + " ms", e);
        } catch (ConnectException e) {
            throw ZabbixApiException.of(Reason.UNREACHABLE, method, "cannot reach the " + where + " (" + method + "): "
                    + describe(e), e);
        } catch (java.io.InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw ZabbixApiException.of(Reason.INTERRUPTED, method, "interrupted while calling " + method, e);
        } catch (IOException e) {
            if (c != null) c.disconnect();
            throw ZabbixApiException.of(Reason.UNREACHABLE, method, "lost the connection to the " + where + " during "
                    + method + ": " + describe(e), e);
        }
    }

    /** The parsed body of an HTTP 200 answer; any other status, or a body that is not JSON, throws. */
    private JsonNode root(String method, int status, String type, BoundedBody in) throws IOException {
        if (status != 200) {
            throw new ZabbixApiException(Reason.HTTP_STATUS, method, where + " answered " + method + " with HTTP "
                    + status + " (" + type + "): " + snippet(in.fillHead().head()), null, null, null, status, null);
        }
        JsonNode root;
        try {
            root = json.read(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            root = null;
        }
        if (root == null) throw notJson(method, status, type, in);
        return root;
    }

    private ZabbixApiException notJson(String method, int status, String type, BoundedBody in) throws IOException {
        return new ZabbixApiException(Reason.NOT_JSON, method, where + " answered " + method
                + " with a body that is not JSON (" + type + "): " + snippet(in.fillHead().head()), null, null, null,
                status, null);
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
                    + " with JSON that is neither a result nor an error: " + snippet(in.head()), null, null, null, 200, null);
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

    /** Only for error bodies: compiled on first use, not in every fresh JVM's start-up. */
    private static final class Html {
        static final Pattern SCRIPT_OR_STYLE = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
        static final Pattern BLOCK_TAG = Pattern.compile(
                "(?i)</?(br|p|div|h\\d|title|head|body|html|table|tr|td|th|li|ul|pre|hr)\\b[^>]*>");
        static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
        static final Pattern SPACE = Pattern.compile("\\s+");
    }

    /** The first ~200 characters of a body, HTML tags stripped, whitespace collapsed. */
    static String snippet(byte[] body) {
        if (body == null || body.length == 0) return "(empty body)";
        String text = new String(body, 0, Math.min(body.length, 64 * 1024), StandardCharsets.UTF_8);
        text = Html.SCRIPT_OR_STYLE.matcher(text).replaceAll(" ");
        text = Html.BLOCK_TAG.matcher(text).replaceAll(" ");
        text = Html.TAG.matcher(text).replaceAll("");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#039;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
        text = Html.SPACE.matcher(text).replaceAll(" ").trim();
        if (text.isEmpty()) return "(no text in a body of " + body.length + " bytes)";
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) m = e.getCause().getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static String withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) return uri.toString();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
