package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * A client of the Zabbix JSON-RPC API ({@code api_jsonrpc.php}) for Zabbix 6.0 through 7.x.
 *
 * <p>On the first call it asks the server its version ({@code apiinfo.version}, unauthenticated)
 * unless one was configured, then authenticates the way that version wants: with an API token
 * (preferred) or a {@code user.login} session, sent as the body's {@code auth} field up to 6.2 and
 * as an {@code Authorization: Bearer} header from 6.4 on. A password session that expires is
 * renewed once, transparently. {@link #close()} logs out only a session this client opened.
 *
 * <p>Every failed call throws {@link ZabbixApiException} (an {@code IOException}) whose
 * {@link ZabbixApiException#reason() reason} says what went wrong; only idempotent reads
 * ({@code *.get}, {@code apiinfo.version}) are retried on timeouts, refused connections and
 * HTTP 5xx. Credentials never appear in logs, exceptions or {@link #toString()}. Thread-safe.
 * Typed methods cover what this project needs; {@link #call} is the escape hatch for the rest.
 */
public final class ZabbixApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZabbixApi.class);

    private final URI uri;
    private final String user;
    private final String password;
    private final String token;
    private final JsonRpcTransport transport;
    private volatile ZabbixVersion version;
    private volatile String session;
    private volatile boolean sessionIsOurs;

    private ZabbixApi(Builder b) {
        this.uri = b.uri;
        this.user = b.user;
        this.password = b.password;
        this.token = b.token;
        this.version = b.version;
        this.transport = new JsonRpcTransport(b.uri, b.connectTimeout, b.requestTimeout, b.readRetries, new JsonCodec());
    }

    /**
     * Starts loading the JSON codec (Jackson's streaming layer) and the JDK's HTTP client classes
     * on a daemon thread, so a short-lived process overlaps that with its own start-up (parsing
     * arguments, reading config). Opens no connection; optional, idempotent in effect, never fails.
     */
    public static void preload() {
        Thread t = new Thread(() -> {
            try {
                JsonRpcTransport.isRead("host.get");
                JsonCodec codec = new JsonCodec();
                codec.read(codec.write(java.util.Map.of("jsonrpc", "2.0", "id", 1, "params", java.util.List.of("x"))));
                URI.create("http://127.0.0.1/api_jsonrpc.php").toURL().openConnection();
            } catch (java.io.IOException | RuntimeException | Error e) {
                // the real call loads the same classes and reports its own failure
            }
        }, "zabbix-preload");
        t.setDaemon(true);
        t.start();
    }

    /** A builder for the API at {@code apiUri} (the URL of {@code api_jsonrpc.php}; a URL ending in "/" gets it appended). */
    public static Builder builder(URI apiUri) {
        return new Builder(apiUri);
    }

    /** The server's version: the configured one, or asked once with {@code apiinfo.version}. */
    public ZabbixVersion version() throws ZabbixApiException {
        ZabbixVersion v = version;
        if (v == null) {
            JsonNode r = transport.call("apiinfo.version", List.of(), null, null);
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

    /**
     * Calls any API method with credentials and returns its {@code result}. Prefer the typed
     * methods; {@code params} is built from maps, lists, strings, numbers, booleans, null and
     * {@code JsonNode}s (anything else throws {@link IllegalArgumentException}).
     */
    public JsonNode call(String method, Object params) throws ZabbixApiException {
        if (method == null || method.isEmpty()) throw new IllegalArgumentException("method is empty");
        if (method.equals("apiinfo.version")) return transport.call(method, List.of(), null, null);
        String credential = credential();
        try {
            return send(method, params, credential);
        } catch (ZabbixApiException e) {
            if (e.reason() != Reason.AUTH_FAILED || token != null || user == null) throw e;
            log.debug("Zabbix session rejected on {}; logging in again", method);
            return send(method, params, relogin(credential));
        }
    }

    private JsonNode send(String method, Object params, String credential) throws ZabbixApiException {
        boolean header = version().usesBearerHeader();
        return transport.call(method, params, header ? null : credential, header ? credential : null);
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
        JsonNode r = transport.call("user.login", params, null, null);
        if (!r.isTextual() || r.asText().isEmpty()) {
            throw ZabbixApiException.of(Reason.NOT_JSON, "user.login", "user.login returned no session id", null);
        }
        session = r.asText();
        sessionIsOurs = true;
        return session;
    }

    /** Logs in now (detects the version, opens the session) so that later calls fail only for their own reasons. */
    public void authenticate() throws ZabbixApiException {
        if (token != null) call("user.get", Map.of("output", List.of("userid"), "limit", 1));
        else credential();
    }

    // ---- hosts, groups, templates -------------------------------------------------------------

    /** The host with this technical name, with its interfaces and groups. */
    public Optional<Host> hostByName(String host) throws ZabbixApiException {
        return first(hosts(Map.of("filter", Map.of("host", List.of(host)))));
    }

    /** Hosts having an interface with this IP address. */
    public List<Host> hostsByIp(String ip) throws ZabbixApiException {
        JsonNode ifs = call("hostinterface.get", Map.of("output", List.of("hostid"), "filter", Map.of("ip", List.of(ip))));
        List<String> ids = Json.ids(ifs, "hostid");
        if (ids.isEmpty()) return List.of();
        return hosts(Map.of("hostids", ids));
    }

    private List<Host> hosts(Map<String, Object> filter) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>(filter);
        p.put("output", List.of("hostid", "host", "name", "status", "maintenance_status", "maintenanceid"));
        p.put("selectInterfaces", List.of("interfaceid", "type", "main", "useip", "ip", "dns", "port"));
        p.put(version().hasSeparateTemplateGroups() ? "selectHostGroups" : "selectGroups", List.of("groupid", "name"));
        return Json.list(call("host.get", p), Host::from);
    }

    /** Creates a host in {@code groupIds} with {@code interfaces}, linked to {@code templateIds}; returns its id. */
    public String createHost(String host, List<String> groupIds, List<HostInterface> interfaces, List<String> templateIds)
            throws ZabbixApiException {
        if (groupIds == null || groupIds.isEmpty()) throw new IllegalArgumentException("groupIds is empty");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("host", host);
        p.put("groups", idObjects("groupid", groupIds));
        List<Map<String, Object>> ifs = new ArrayList<>();
        for (HostInterface i : interfaces) ifs.add(i.toParams());
        p.put("interfaces", ifs);
        p.put("templates", idObjects("templateid", templateIds == null ? List.of() : templateIds));
        return firstId(call("host.create", p), "hostids");
    }

    public void deleteHosts(List<String> hostIds) throws ZabbixApiException {
        if (!hostIds.isEmpty()) call("host.delete", hostIds);
    }

    public Optional<HostGroup> hostGroupByName(String name) throws ZabbixApiException {
        return first(Json.list(call("hostgroup.get", Map.of("output", List.of("groupid", "name"),
                "filter", Map.of("name", List.of(name)))), HostGroup::from));
    }

    /** Creates a host group; returns its id. */
    public String createHostGroup(String name) throws ZabbixApiException {
        return firstId(call("hostgroup.create", Map.of("name", name)), "groupids");
    }

    public void deleteHostGroups(List<String> groupIds) throws ZabbixApiException {
        if (!groupIds.isEmpty()) call("hostgroup.delete", groupIds);
    }

    /** The template with this technical name. */
    public Optional<Template> templateByName(String host) throws ZabbixApiException {
        return first(Json.list(call("template.get", Map.of("output", List.of("templateid", "host", "name"),
                "filter", Map.of("host", List.of(host)))), Template::from));
    }

    public void deleteTemplates(List<String> templateIds) throws ZabbixApiException {
        if (!templateIds.isEmpty()) call("template.delete", templateIds);
    }

    /** Imports a YAML export (templates, hosts...) with {@code rules}; fails with the server's reason. */
    public void importConfiguration(String yaml, ImportRules rules) throws ZabbixApiException {
        JsonNode r = call("configuration.import", Map.of("format", "yaml", "source", yaml, "rules", rules.toParams(version())));
        if (!r.asBoolean(false)) {
            throw ZabbixApiException.of(Reason.API_ERROR, "configuration.import", "configuration.import returned " + r, null);
        }
    }

    // ---- items, triggers, history ---------------------------------------------------------------

    /** The item with {@code key} on the host with technical name {@code host}, with its last value. */
    public Optional<Item> itemByKey(String host, String key) throws ZabbixApiException {
        return first(Json.list(call("item.get", Map.of("output", ITEM_FIELDS, "host", host,
                "filter", Map.of("key_", List.of(key)))), Item::from));
    }

    /** All items of a host. */
    public List<Item> items(String hostId) throws ZabbixApiException {
        return Json.list(call("item.get", Map.of("output", ITEM_FIELDS, "hostids", List.of(hostId))), Item::from);
    }

    private static final List<String> ITEM_FIELDS = List.of("itemid", "hostid", "name", "key_", "type", "value_type",
            "lastvalue", "lastclock", "state", "error");

    /** Creates a Zabbix trapper item (what the sender protocol feeds); returns its id. */
    public String createTrapperItem(String hostId, String name, String key, ValueType valueType) throws ZabbixApiException {
        return firstId(call("item.create", Map.of("hostid", hostId, "name", name, "key_", key,
                "type", Item.TYPE_TRAPPER, "value_type", valueType.code())), "itemids");
    }

    /** The triggers of a host, expressions expanded to {@code /host/key} form. */
    public List<Trigger> triggers(String hostId) throws ZabbixApiException {
        return Json.list(call("trigger.get", Map.of("output", List.of("triggerid", "description", "expression",
                "priority", "value", "status", "manual_close"), "hostids", List.of(hostId), "expandExpression", true)),
                Trigger::from);
    }

    /**
     * Creates a trigger; {@code expression} in 5.4+ syntax, e.g. {@code last(/host/key)>0}.
     * {@code manualClose} lets {@link #acknowledge} close its problems.
     */
    public String createTrigger(String description, String expression, int priority, boolean manualClose)
            throws ZabbixApiException {
        return firstId(call("trigger.create", Map.of("description", description, "expression", expression,
                "priority", priority, "manual_close", manualClose ? 1 : 0)), "triggerids");
    }

    private static final java.util.Comparator<HistoryValue> NEWEST_FIRST =
            java.util.Comparator.comparingLong(HistoryValue::clock).thenComparingInt(HistoryValue::ns).reversed();

    /** The newest {@code limit} values of an item, newest first (by clock, then nanoseconds). */
    public List<HistoryValue> history(String itemId, ValueType type, int limit) throws ZabbixApiException {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
        List<HistoryValue> values = new ArrayList<>(Json.list(call("history.get", Map.of("output", "extend",
                "history", type.code(), "itemids", List.of(itemId), "sortfield", "clock", "sortorder", "DESC",
                "limit", limit)), HistoryValue::from));
        values.sort(NEWEST_FIRST); // the API sorts by clock only, not by ns
        return List.copyOf(values);
    }

    // ---- problems, events, acknowledgements ------------------------------------------------------

    /** Current problems raised by a trigger, newest first, with their acknowledgements. */
    public List<Problem> problemsOfTrigger(String triggerId) throws ZabbixApiException {
        return problems(Map.of("objectids", List.of(triggerId)));
    }

    /** Current problems of a host, newest first, with their acknowledgements. */
    public List<Problem> problemsOfHost(String hostId) throws ZabbixApiException {
        return problems(Map.of("hostids", List.of(hostId)));
    }

    private List<Problem> problems(Map<String, Object> filter) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>(filter);
        p.put("output", "extend");
        p.put("selectAcknowledges", "extend");
        p.put("recent", true);
        p.put("sortfield", List.of("eventid"));
        p.put("sortorder", "DESC");
        return Json.list(call("problem.get", p), Problem::from);
    }

    /** The event with this id, with its acknowledgements and hosts. */
    public Optional<Event> event(String eventId) throws ZabbixApiException {
        return first(Json.list(call("event.get", Map.of("output", "extend", "eventids", List.of(eventId),
                "select_acknowledges", "extend", "selectHosts", List.of("hostid"))), Event::from)); // sic: event.get's spelling
    }

    /** Updates an event: {@code actions} as a set, {@code message} required when it has {@link AckAction#MESSAGE}. */
    public void acknowledge(String eventId, Set<AckAction> actions, String message) throws ZabbixApiException {
        if (actions.isEmpty()) throw new IllegalArgumentException("actions is empty");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("eventids", List.of(eventId));
        p.put("action", AckAction.mask(actions));
        if (message != null && actions.contains(AckAction.MESSAGE)) p.put("message", message);
        call("event.acknowledge", p);
    }

    /** Acknowledges an event with a message, closing its problem too when {@code close} (the trigger must allow it). */
    public void acknowledge(String eventId, String message, boolean close) throws ZabbixApiException {
        acknowledge(eventId, close ? Set.of(AckAction.ACKNOWLEDGE, AckAction.MESSAGE, AckAction.CLOSE)
                : Set.of(AckAction.ACKNOWLEDGE, AckAction.MESSAGE), message);
    }

    // ---- maintenance ----------------------------------------------------------------------------

    /**
     * True when the host with this technical name is in maintenance now: the server says so
     * ({@code maintenance_status}), or a one-time period of a maintenance covering the host or one
     * of its groups covers the present (the server takes up to a minute to notice a new one).
     *
     * @throws ZabbixApiException with {@link Reason#NOT_FOUND} when there is no such host
     */
    public boolean inMaintenance(String hostName) throws ZabbixApiException {
        // Every maintenance is asked for (and filtered here) at the same time as the host: one round
        // trip on the path of a recovery instead of two (the host's ids are not known before host.get).
        java.util.concurrent.FutureTask<JsonNode> all = new java.util.concurrent.FutureTask<>(
                () -> call("maintenance.get", maintenanceQuery()));
        Thread t = new Thread(all, "zabbix-maintenance");
        t.setDaemon(true);
        t.start();
        Host host;
        try {
            host = hostByName(hostName).orElseThrow(() -> ZabbixApiException.of(Reason.NOT_FOUND, "host.get",
                    "no Zabbix host named \"" + hostName + "\"", null));
        } catch (ZabbixApiException | RuntimeException e) {
            all.cancel(true);
            throw e;
        }
        if (host.inMaintenance()) {
            all.cancel(true);
            return true;
        }
        JsonNode answer;
        try {
            answer = all.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.cancel(true);
            throw ZabbixApiException.of(Reason.INTERRUPTED, "maintenance.get", "interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ZabbixApiException z) throw z;
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        }
        Instant now = Instant.now();
        for (Maintenance m : covering(host, Json.list(answer, Maintenance::from))) {
            if (m.oneTimePeriodCovers(now)) return true;
        }
        return false;
    }

    private Map<String, Object> maintenanceQuery() throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("output", "extend");
        p.put("selectHosts", List.of("hostid"));
        p.put(version().hasSeparateTemplateGroups() ? "selectHostGroups" : "selectGroups", List.of("groupid"));
        p.put("selectTimeperiods", "extend");
        return p;
    }

    private static List<Maintenance> covering(Host host, List<Maintenance> all) {
        List<String> groupIds = new ArrayList<>();
        for (HostGroup g : host.groups()) groupIds.add(g.groupId());
        List<Maintenance> out = new ArrayList<>();
        for (Maintenance m : all) {
            if (m.hostIds().contains(host.hostId()) || m.groupIds().stream().anyMatch(groupIds::contains)) out.add(m);
        }
        return out;
    }

    /** The maintenances that cover {@code host} directly or through one of its groups. */
    public List<Maintenance> maintenancesOf(Host host) throws ZabbixApiException {
        Map<String, Object> p = maintenanceQuery();
        List<String> groupIds = host.groups().stream().map(HostGroup::groupId).toList();
        if (groupIds.isEmpty()) p.put("hostids", List.of(host.hostId()));
        else p.put("groupids", groupIds);
        return covering(host, Json.list(call("maintenance.get", p), Maintenance::from));
    }

    /** Creates a one-time maintenance (with data collection) for {@code hostIds} from {@code start} for {@code length}. */
    public String createMaintenance(String name, List<String> hostIds, Instant start, Duration length)
            throws ZabbixApiException {
        long from = start.getEpochSecond();
        long seconds = Math.max(300, length.toSeconds());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("active_since", from);
        p.put("active_till", from + seconds);
        p.put("maintenance_type", 0);
        p.put("hosts", idObjects("hostid", hostIds));
        p.put("timeperiods", List.of(Map.of("timeperiod_type", 0, "start_date", from, "period", seconds)));
        return firstId(call("maintenance.create", p), "maintenanceids");
    }

    public void deleteMaintenances(List<String> maintenanceIds) throws ZabbixApiException {
        if (!maintenanceIds.isEmpty()) call("maintenance.delete", maintenanceIds);
    }

    // ---- scripts, actions -----------------------------------------------------------------------

    private static final List<String> SCRIPT_FIELDS = List.of("scriptid", "name", "command", "type", "scope",
            "execute_on", "description");

    public Optional<Script> scriptByName(String name) throws ZabbixApiException {
        return first(Json.list(call("script.get", Map.of("output", SCRIPT_FIELDS, "filter", Map.of("name", List.of(name)))),
                Script::from));
    }

    /** Creates a global script; returns its id. */
    public String createScript(Script script) throws ZabbixApiException {
        if (script.scriptId() != null) throw new IllegalArgumentException("script already has an id: " + script.scriptId());
        return firstId(call("script.create", script.toParams()), "scriptids");
    }

    /** Updates the script with {@code script.scriptId()}. */
    public void updateScript(Script script) throws ZabbixApiException {
        if (script.scriptId() == null) throw new IllegalArgumentException("scriptId == null: nothing to update");
        call("script.update", script.toParams());
    }

    public void deleteScripts(List<String> scriptIds) throws ZabbixApiException {
        if (!scriptIds.isEmpty()) call("script.delete", scriptIds);
    }

    /** Runs a global script on a host now and returns its output (the agent must allow remote commands). */
    public ScriptResult executeScript(String scriptId, String hostId) throws ZabbixApiException {
        JsonNode r = call("script.execute", Map.of("scriptid", scriptId, "hostid", hostId));
        return new ScriptResult(Json.text(r, "response", ""), Json.text(r, "value", ""));
    }

    public Optional<Action> actionByName(String name) throws ZabbixApiException {
        return first(Json.list(call("action.get", Map.of("output", List.of("actionid", "name", "eventsource", "status",
                "esc_period"), "filter", Map.of("name", List.of(name)))), Action::from));
    }

    /** Creates a trigger action; returns its id. */
    public String createAction(ActionSpec spec) throws ZabbixApiException {
        return firstId(call("action.create", spec.toParams()), "actionids");
    }

    /** Replaces the conditions and operations of action {@code actionId} with {@code spec}'s. */
    public void updateAction(String actionId, ActionSpec spec) throws ZabbixApiException {
        Map<String, Object> p = spec.toParams();
        p.remove("eventsource");
        p.put("actionid", actionId);
        call("action.update", p);
    }

    public void deleteActions(List<String> actionIds) throws ZabbixApiException {
        if (!actionIds.isEmpty()) call("action.delete", actionIds);
    }

    // ---- API tokens -----------------------------------------------------------------------------

    public List<ApiToken> tokens() throws ZabbixApiException {
        return Json.list(call("token.get", Map.of("output", List.of("tokenid", "name", "userid", "status", "expires_at"))),
                ApiToken::from);
    }

    /** Creates and generates an API token for the calling user (or {@code userId} when not null). */
    public GeneratedToken createToken(String name, String userId) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        if (userId != null) p.put("userid", userId);
        String id = firstId(call("token.create", p), "tokenids");
        JsonNode generated = call("token.generate", List.of(id));
        return new GeneratedToken(id, generated.path(0).path("token").asText());
    }

    public void deleteTokens(List<String> tokenIds) throws ZabbixApiException {
        if (!tokenIds.isEmpty()) call("token.delete", tokenIds);
    }

    private static <T> Optional<T> first(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    static List<Map<String, Object>> idObjects(String field, List<String> ids) {
        List<Map<String, Object>> out = new ArrayList<>(ids.size());
        for (String id : ids) out.add(Map.of(field, id));
        return out;
    }

    static String firstId(JsonNode result, String field) throws ZabbixApiException {
        JsonNode ids = result.path(field);
        if (!ids.isArray() || ids.isEmpty()) {
            throw ZabbixApiException.of(Reason.API_ERROR, field, "the API returned no " + field + ": " + result, null);
        }
        return ids.get(0).asText();
    }

    URI uri() {
        return uri;
    }

    /** Logs out the session this client opened with {@code user.login}, if any; a token is left alone. Never throws. */
    @Override
    public void close() {
        String s = session;
        if (s == null || !sessionIsOurs) return;
        try {
            send("user.logout", List.of(), s);
        } catch (ZabbixApiException e) {
            log.debug("user.logout failed: {}", e.getMessage());
        } finally {
            session = null;
            sessionIsOurs = false;
        }
    }

    @Override
    public String toString() {
        return "ZabbixApi[" + uri + ", " + (token != null ? "API token" : user != null ? "user " + user : "no credentials")
                + (version == null ? "" : ", Zabbix " + version) + "]";
    }

    /** Configuration of a {@link ZabbixApi}; {@link #build()} makes no network call. */
    public static final class Builder {
        private final URI uri;
        private String user;
        private String password;
        private String token;
        private ZabbixVersion version;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private int readRetries = 1;

        private Builder(URI uri) {
            if (uri == null) throw new NullPointerException("uri == null");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("uri must be http or https: " + uri);
            }
            this.uri = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().endsWith("/")
                    ? uri.resolve("api_jsonrpc.php") : uri;
        }

        /** Authenticates with an API token (Zabbix 5.4+; preferred: no login round trip, no session to expire). */
        public Builder token(String token) {
            if (token == null || token.isBlank()) throw new IllegalArgumentException("token is empty");
            this.token = token.trim();
            return this;
        }

        /** Reads the API token from a file (trimmed). */
        public Builder tokenFile(Path file) throws IOException {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.isEmpty()) throw new IllegalArgumentException("token file " + file + " is empty");
            this.token = t;
            return this;
        }

        /** Authenticates with {@code user.login}; the session is logged out by {@link ZabbixApi#close()}. */
        public Builder login(String user, String password) {
            if (user == null || user.isEmpty()) throw new IllegalArgumentException("user is empty");
            if (password == null) throw new NullPointerException("password == null");
            this.user = user;
            this.password = password;
            return this;
        }

        /** Reads the password of {@code user} from a file (trailing newline removed). */
        public Builder loginWithPasswordFile(String user, Path file) throws IOException {
            return login(user, Files.readString(file, StandardCharsets.UTF_8).strip());
        }

        /** Skips the {@code apiinfo.version} round trip when the server's version is known. */
        public Builder version(ZabbixVersion version) {
            this.version = version;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** The longest wait for the server's answer once connected (a read timeout), per attempt. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /** How many times a failed read ({@code *.get}) is retried; writes never are. Default 1. */
        public Builder readRetries(int n) {
            if (n < 0 || n > 10) throw new IllegalArgumentException("readRetries must be 0..10: " + n);
            this.readRetries = n;
            return this;
        }

        public ZabbixApi build() {
            if (token != null && user != null) {
                throw new IllegalStateException("both token and login configured: choose one");
            }
            return new ZabbixApi(this);
        }

        private static Duration positive(Duration d, String field) {
            if (d == null) throw new NullPointerException(field + " == null");
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(field + " must be > 0: " + d);
            return d;
        }
    }
}
