package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * One POST of a JSON-RPC body to the API and the mapping of every way it fails (no connection, a
 * time-out, an HTTP status other than 200, a body that is not JSON or longer than the call
 * accepts) to a {@link ZabbixApiException} naming the call. What the body says is
 * {@link JsonRpcTransport}'s.
 *
 * <p>Uses {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: in a fresh JVM the
 * latter costs ~600 ms before the first answer (SSL context, selector thread; measured median
 * 705 ms vs 96 ms for one plain-HTTP call on this project's 2-core box), and {@code vcr} starts a
 * fresh JVM per Zabbix action. Fixed-length streaming mode keeps the JDK from silently re-sending
 * a POST on a stale keep-alive connection.
 */
final class HttpPost {
    private final URL url;
    private final String where;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final JsonCodec json;

    HttpPost(URI uri, Duration connectTimeout, Duration requestTimeout, JsonCodec json) {
        try {
            this.url = uri.toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
        this.where = "Zabbix API at " + withoutUserInfo(uri);
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.requestTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
        this.json = json;
    }

    /** "Zabbix API at URL" (no user info), for messages. */
    String where() {
        return where;
    }

    /** Reads an answer that arrived with {@code status} and content {@code type}. */
    interface Reader<T> {
        T read(int status, String type, BoundedBody in) throws IOException;
    }

    /** POSTs {@code bytes} and reads the answer, mapping every way it fails to a {@link ZabbixApiException}. */
    <T> T exchange(String method, byte[] bytes, String bearer, long maxBytes, Reader<T> reader)
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
    JsonNode root(String method, int status, String type, BoundedBody in) throws IOException {
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

    ZabbixApiException notJson(String method, int status, String type, BoundedBody in) throws IOException {
        return new ZabbixApiException(Reason.NOT_JSON, method, where + " answered " + method
                + " with a body that is not JSON (" + type + "): " + snippet(in.fillHead().head()), null, null, null,
                status, null);
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
