package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * One client's connection to the API: the server's version (asked once, refused when it is not in
 * {@link ZabbixVersion#SUPPORTED}), the credential (token, or a {@code user.login} session renewed
 * once when it expires) sent the way that version wants, and the size bound of every answer.
 * What each area of the API sends is in the area classes ({@link Hosts}, {@link Events}, ...).
 * Thread-safe.
 */
final class ApiSession {
    private static final Logger log = LoggerFactory.getLogger(ApiSession.class);

    /** Answers to logins, the version, acknowledgements and writes: ids and flags. */
    static final long TINY = 64 << 10;
    /** One object: an event with its acknowledgements, one host, one script's output. */
    static final long ONE = 1 << 20;
    /** A short list on a recovery's path: every maintenance (few fields), the problems of one trigger. */
    static final long FEW = 4 << 20;
    /** Lists an operator's tools ask for (items, history, templates) and {@link ZabbixApi#call}. */
    static final long MANY = 32 << 20;

    private final URI uri;
    private final String user;
    private final String password;
    private final String token;
    private final JsonRpcTransport transport;
    private volatile ZabbixVersion version;
    private volatile String session;
    private volatile boolean sessionIsOurs;
    private volatile String userId;

    ApiSession(URI uri, String user, String password, String token, ZabbixVersion version, JsonRpcTransport transport) {
        this.uri = uri;
        this.user = user;
        this.password = password;
        this.token = token;
        this.version = version;
        this.transport = transport;
    }

    URI uri() {
        return uri;
    }

    /** The known version (configured or already asked), or null. */
    ZabbixVersion knownVersion() {
        return version;
    }

    /**
     * The id of the Zabbix user this client authenticates as, once known: from {@code user.login}
     * (asked with {@code userData}), or from {@link #selfCall()}'s answer. Null until then.
     */
    String knownUserId() {
        return userId;
    }

    /**
     * The read that tells {@link #knownUserId()}, to ride in a batch: {@code token.get} of our own
     * token (the {@code token} filter; 5.4+) or {@code user.get} of our login name. Null when the
     * id is already known, or when the login still to come will tell it.
     */
    JsonRpcTransport.Call selfCall() {
        if (userId != null || token == null && session == null) return null;
        if (token != null) return new JsonRpcTransport.Call("token.get", Map.of("output", List.of("userid"), "token", token));
        if (user != null) return new JsonRpcTransport.Call("user.get", Map.of("output", List.of("userid"),
                "filter", Map.of("username", user)));
        return null;
    }

    /**
     * Takes {@link #selfCall()}'s answer: exactly one row with a numeric {@code userid}, else
     * {@link Reason#NOT_FOUND} (a token or user the server does not list: never a guess).
     */
    String learnSelf(JsonRpcTransport.Answer a) throws ZabbixApiException {
        String method = token != null ? "token.get" : "user.get";
        JsonNode rows = a.get();
        String id = rows.isArray() && rows.size() == 1 ? rows.path(0).path("userid").asText("") : "";
        if (!id.matches("[0-9]{1,20}")) {
            throw ZabbixApiException.of(Reason.NOT_FOUND, method, method + " did not name the user of this client's "
                    + credentialKind() + " (" + rows.size() + " rows)", null);
        }
        userId = id;
        return id;
    }

    /** The id of the user this client authenticates as ({@link #knownUserId()}), asked when not known yet. */
    String userId() throws ZabbixApiException {
        String id = userId;
        if (id != null) return id;
        if (token == null) credential(); // a login tells it
        id = userId;
        if (id != null) return id;
        JsonRpcTransport.Call c = selfCall();
        if (c == null) throw new IllegalStateException("no credentials configured: use token(...) or login(...)");
        JsonNode r;
        try {
            r = call(c.method(), c.params(), TINY);
        } catch (ZabbixApiException e) {
            return learnSelf(new JsonRpcTransport.Answer(null, e));
        }
        return learnSelf(new JsonRpcTransport.Answer(r, null));
    }

    String credentialKind() {
        return token != null ? "API token" : user != null ? "user " + user : "no credentials";
    }

    /**
     * The server's version: the configured one, or asked once with {@code apiinfo.version}.
     *
     * @throws ZabbixApiException {@link Reason#UNSUPPORTED_VERSION} for a version outside {@link ZabbixVersion#SUPPORTED}
     */
    ZabbixVersion version() throws ZabbixApiException {
        ZabbixVersion v = version;
        if (v == null) v = askVersion();
        if (!v.supported()) {
            throw ZabbixApiException.of(Reason.UNSUPPORTED_VERSION, "apiinfo.version", v.unsupportedMessage()
                    + " (API at " + JsonRpcTransport.withoutUserInfo(uri) + "; nothing else was asked of it)", null);
        }
        return v;
    }

    // Once, even when a recovery's first questions go out in parallel.
    private synchronized ZabbixVersion askVersion() throws ZabbixApiException {
        ZabbixVersion v = version;
        if (v == null) {
            JsonNode r = transport.call("apiinfo.version", List.of(), null, null, TINY);
            try {
                v = ZabbixVersion.parse(r.asText());
            } catch (IllegalArgumentException e) {
                throw ZabbixApiException.of(Reason.NOT_JSON, "apiinfo.version", "apiinfo.version answered \""
                        + r.asText() + "\", not a version", e);
            }
            version = v;
            log.debug("Zabbix API {} is version {}", uri, v);
        }
        return v;
    }

    /** Calls {@code method} with credentials; the answer may be at most {@code maxBytes} long. */
    JsonNode call(String method, Object params, long maxBytes) throws ZabbixApiException {
        if (method == null || method.isEmpty()) throw new IllegalArgumentException("method is empty");
        if (method.equals("apiinfo.version")) return transport.call(method, List.of(), null, null, maxBytes);
        String credential = credential();
        try {
            return send(method, params, credential, maxBytes);
        } catch (ZabbixApiException e) {
            if (e.reason() != Reason.AUTH_FAILED || token != null || user == null) throw e;
            log.debug("Zabbix session rejected on {}; logging in again", method);
            return send(method, params, relogin(credential), maxBytes);
        }
    }

    /**
     * Sends read-only {@code calls} as one JSON-RPC batch with credentials ({@link JsonRpcTransport#batch}):
     * one HTTP request instead of one each. A refused session is renewed once, as for {@link #call}.
     */
    List<JsonRpcTransport.Answer> batch(List<JsonRpcTransport.Call> calls, long maxBytes) throws ZabbixApiException {
        String credential = credential();
        List<JsonRpcTransport.Answer> answers;
        try {
            answers = sendBatch(calls, credential, maxBytes);
        } catch (ZabbixApiException e) {
            if (e.reason() != Reason.AUTH_FAILED || token != null || user == null) throw e;
            answers = null;
        }
        if (answers != null && (token != null || user == null || answers.stream().noneMatch(ApiSession::authFailed))) {
            return answers;
        }
        log.debug("Zabbix session rejected in a batch; logging in again");
        return sendBatch(calls, relogin(credential), maxBytes);
    }

    private static boolean authFailed(JsonRpcTransport.Answer a) {
        return a.failure() != null && a.failure().reason() == Reason.AUTH_FAILED;
    }

    private List<JsonRpcTransport.Answer> sendBatch(List<JsonRpcTransport.Call> calls, String credential, long maxBytes)
            throws ZabbixApiException {
        boolean header = version().usesBearerHeader();
        return transport.batch(calls, header ? null : credential, header ? credential : null, maxBytes);
    }

    private JsonNode send(String method, Object params, String credential, long maxBytes) throws ZabbixApiException {
        boolean header = version().usesBearerHeader();
        return transport.call(method, params, header ? null : credential, header ? credential : null, maxBytes);
    }

    private String credential() throws ZabbixApiException {
        if (token != null) return token;
        if (user == null) throw new IllegalStateException("no credentials configured: use token(...) or login(...)");
        String s = session;
        return s != null ? s : relogin(null);
    }

    private synchronized String relogin(String rejected) throws ZabbixApiException {
        String s = session;
        if (s != null && !s.equals(rejected)) return s;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(version().loginTakesUsername() ? "username" : "user", user);
        params.put("password", password);
        params.put("userData", true); // the answer then names our user id too: no user.get to learn it
        JsonNode r = transport.call("user.login", params, null, null, TINY);
        String sid = r.isObject() ? r.path("sessionid").asText("") : r.isTextual() ? r.asText() : "";
        if (sid.isEmpty()) {
            throw ZabbixApiException.of(Reason.NOT_JSON, "user.login", "user.login returned no session id", null);
        }
        String id = r.path("userid").asText("");
        if (id.matches("[0-9]{1,20}")) userId = id;
        session = sid;
        sessionIsOurs = true;
        return session;
    }

    /** Detects the version and opens the session (or proves the token with {@code user.get}). */
    void authenticate() throws ZabbixApiException {
        if (token != null) call("user.get", Map.of("output", List.of("userid"), "limit", 1), TINY);
        else credential();
    }

    /** Logs out the session this client opened, if any; never throws. */
    void close() {
        String s = session;
        if (s == null || !sessionIsOurs) return;
        try {
            send("user.logout", List.of(), s, TINY);
        } catch (ZabbixApiException e) {
            log.debug("user.logout failed: {}", e.getMessage());
        } finally {
            session = null;
            sessionIsOurs = false;
        }
    }
}
