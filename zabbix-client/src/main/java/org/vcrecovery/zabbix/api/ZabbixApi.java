package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A client of the Zabbix JSON-RPC API ({@code api_jsonrpc.php}) for the Zabbix versions in
 * {@link ZabbixVersion#SUPPORTED} (6.0 through 7.4): the one public entry point, delegating to one
 * package-private class per area of the API (hosts and templates, items, problems and events,
 * scripts and actions, import, maintenance, tokens) over one {@code ApiSession}.
 *
 * <p>On the first call it asks the server its version ({@code apiinfo.version}, unauthenticated)
 * unless one was configured; a version outside {@link ZabbixVersion#SUPPORTED} fails every call
 * with {@link ZabbixApiException.Reason#UNSUPPORTED_VERSION} and nothing else is sent. It then
 * authenticates the way that version wants: with an API token (preferred) or a {@code user.login}
 * session ({@code username}), sent as the body's {@code auth} field up to 6.2 and as an
 * {@code Authorization: Bearer} header from 6.4 on (7.2 removed {@code auth}). Each method sends
 * only the parameters its version accepts (7.0+ refuses unknown ones). A password session that
 * expires is renewed once, transparently. {@link #close()} logs out only a session this client opened.
 *
 * <p>Every failed call throws {@link ZabbixApiException} (an {@code IOException}) whose
 * {@link ZabbixApiException#reason() reason} says what went wrong; only idempotent reads
 * ({@code *.get}, {@code apiinfo.version}) are retried on timeouts, refused connections and
 * HTTP 5xx. Each call bounds its answer to what it needs (64 KiB for a login or a write, 1 MiB for
 * one object, 4 MiB for the maintenance list, 32 MiB for lists and {@link #call}): a longer answer
 * fails with {@link ZabbixApiException.Reason#TOO_LARGE} without being buffered. Credentials never
 * appear in logs, exceptions or {@link #toString()}. Thread-safe.
 *
 * <p>This file is over 300 lines only because it keeps one short delegating method per API call
 * (the names callers already use) and the builder; what each call sends lives in the area classes.
 */
public final class ZabbixApi implements AutoCloseable {
    private final ApiSession session;
    private final Hosts hosts;
    private final Items items;
    private final Events events;
    private final Maintenances maintenances;
    private final Guards guards;
    private final Scripts scripts;
    private final Imports imports;
    private final Tokens tokens;

    private ZabbixApi(Builder b) {
        this.session = new ApiSession(b.uri, b.user, b.password, b.token, b.version,
                new JsonRpcTransport(b.uri, b.connectTimeout, b.requestTimeout, b.readRetries, new JsonCodec()));
        this.hosts = new Hosts(session);
        this.items = new Items(session);
        this.events = new Events(session);
        this.maintenances = new Maintenances(session, hosts, events);
        this.guards = new Guards(session, maintenances);
        this.scripts = new Scripts(session);
        this.imports = new Imports(session);
        this.tokens = new Tokens(session);
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
                codec.read(new java.io.ByteArrayInputStream(codec.write(java.util.Map.of("jsonrpc", "2.0", "id", 1,
                        "params", java.util.List.of("x")))));
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

    /** The server's version: the configured one, or asked once; UNSUPPORTED_VERSION when not in {@link ZabbixVersion#SUPPORTED}. */
    public ZabbixVersion version() throws ZabbixApiException {
        return session.version();
    }

    /**
     * Calls any API method with credentials and returns its {@code result} (at most 32 MiB). Prefer
     * the typed methods; {@code params} is built from maps, lists, strings, numbers, booleans, null
     * and {@code JsonNode}s (anything else throws {@link IllegalArgumentException}).
     */
    public JsonNode call(String method, Object params) throws ZabbixApiException {
        return session.call(method, params, ApiSession.MANY);
    }

    /**
     * The id of the Zabbix user this client authenticates as, the author of every acknowledgement
     * it writes: from {@code user.login}, or {@code token.get} of its own token (a role without
     * "Manage API tokens" may be refused that), asked once and then remembered;
     * {@link #problemsAndGuard} learns it in its request.
     */
    public String userId() throws ZabbixApiException {
        return session.userId();
    }

    /** Logs in now (detects the version, opens the session) so that later calls fail only for their own reasons. */
    public void authenticate() throws ZabbixApiException {
        session.authenticate();
    }

    // ---- hosts, groups, templates: Hosts ----------------------------------------------------------

    /** The host with this technical name, with its interfaces and groups. */
    public Optional<Host> hostByName(String host) throws ZabbixApiException {
        return hosts.byName(host);
    }

    /** Hosts having an interface with this IP address. */
    public List<Host> hostsByIp(String ip) throws ZabbixApiException {
        return hosts.byIp(ip);
    }

    /** Creates a host in {@code groupIds} with {@code interfaces}, linked to {@code templateIds}; returns its id. */
    public String createHost(String host, List<String> groupIds, List<HostInterface> interfaces, List<String> templateIds)
            throws ZabbixApiException {
        return hosts.create(host, groupIds, interfaces, templateIds);
    }

    public void deleteHosts(List<String> hostIds) throws ZabbixApiException {
        hosts.delete(hostIds);
    }

    public Optional<HostGroup> hostGroupByName(String name) throws ZabbixApiException {
        return hosts.groupByName(name);
    }

    /** Creates a host group; returns its id. */
    public String createHostGroup(String name) throws ZabbixApiException {
        return hosts.createGroup(name);
    }

    public void deleteHostGroups(List<String> groupIds) throws ZabbixApiException {
        hosts.deleteGroups(groupIds);
    }

    /** The template with this technical name. */
    public Optional<Template> templateByName(String host) throws ZabbixApiException {
        return hosts.templateByName(host);
    }

    public void deleteTemplates(List<String> templateIds) throws ZabbixApiException {
        hosts.deleteTemplates(templateIds);
    }

    // ---- import: Imports --------------------------------------------------------------------------

    /** Imports a YAML export (templates, hosts...) with {@code rules} in the form this server's version takes. */
    public void importConfiguration(String yaml, ImportRules rules) throws ZabbixApiException {
        imports.importYaml(yaml, rules);
    }

    // ---- items, triggers, history: Items ----------------------------------------------------------

    /** The item with {@code key} on the host with technical name {@code host}, with its last value. */
    public Optional<Item> itemByKey(String host, String key) throws ZabbixApiException {
        return items.byKey(host, key);
    }

    /** All items of a host. */
    public List<Item> items(String hostId) throws ZabbixApiException {
        return items.ofHost(hostId);
    }

    /** Creates a Zabbix trapper item (what the sender protocol feeds); returns its id. */
    public String createTrapperItem(String hostId, String name, String key, ValueType valueType) throws ZabbixApiException {
        return items.createTrapper(hostId, name, key, valueType);
    }

    /** The triggers of a host, expressions expanded to {@code /host/key} form. */
    public List<Trigger> triggers(String hostId) throws ZabbixApiException {
        return items.triggers(hostId);
    }

    /** Creates a trigger ({@code expression} in 5.4+ syntax); {@code manualClose} lets {@link #acknowledge} close its problems. */
    public String createTrigger(String description, String expression, int priority, boolean manualClose)
            throws ZabbixApiException {
        return items.createTrigger(description, expression, priority, manualClose);
    }

    /** The newest {@code limit} values of an item, newest first (by clock, then nanoseconds). */
    public List<HistoryValue> history(String itemId, ValueType type, int limit) throws ZabbixApiException {
        return items.history(itemId, type, limit);
    }

    // ---- problems, events, acknowledgements: Events -----------------------------------------------

    /** Current problems raised by a trigger, newest first, with their acknowledgements. */
    public List<Problem> problemsOfTrigger(String triggerId) throws ZabbixApiException {
        return events.ofTrigger(triggerId);
    }

    /** Current problems of a host, newest first, with their acknowledgements. */
    public List<Problem> problemsOfHost(String hostId) throws ZabbixApiException {
        return events.ofHost(hostId);
    }

    /** The event with this id, with its acknowledgements, hosts and suppression. */
    public Optional<Event> event(String eventId) throws ZabbixApiException {
        return events.event(eventId);
    }

    /** Updates an event: {@code actions} as a set, {@code message} required when it has {@link AckAction#MESSAGE}. */
    public void acknowledge(String eventId, Set<AckAction> actions, String message) throws ZabbixApiException {
        events.acknowledge(eventId, actions, message);
    }

    /** Acknowledges an event with a message, closing its problem too when {@code close} (the trigger must allow it). */
    public void acknowledge(String eventId, String message, boolean close) throws ZabbixApiException {
        events.acknowledge(eventId, close ? Set.of(AckAction.ACKNOWLEDGE, AckAction.MESSAGE, AckAction.CLOSE)
                : Set.of(AckAction.ACKNOWLEDGE, AckAction.MESSAGE), message);
    }

    // ---- maintenance: Maintenances ----------------------------------------------------------------

    /**
     * True when the host with this technical name is in maintenance now: the server says so
     * ({@code maintenance_status}, unless its {@code maintenanceid} is already 0: the stale flag of a
     * deleted maintenance), or a one-time period of a maintenance covering the host or one
     * of its groups covers the present (the server takes up to a minute to notice a new one). For
     * a run without an event; with one, {@link #inMaintenance(String, String)} is right.
     *
     * @throws ZabbixApiException with {@link ZabbixApiException.Reason#NOT_FOUND} when there is no such host
     */
    public boolean inMaintenance(String hostName) throws ZabbixApiException {
        return maintenances.inMaintenance(hostName);
    }

    /**
     * True when the problem event {@code eventId} is suppressed (what Zabbix decided for it), or a
     * one-time maintenance covering the host started less than a minute ago (not applied yet). For
     * an event of this host, the host's {@code maintenance_status} is not trusted: Zabbix keeps it up
     * to a minute after a maintenance ends or is deleted while new problems are already no longer
     * suppressed. An event of another host (a KVM host's trigger about this VM), an event that does
     * not exist, or a null {@code eventId} is decided as {@link #inMaintenance(String)}. One round
     * trip: the event, the host and the maintenances are asked at the same time.
     *
     * @throws ZabbixApiException with {@link ZabbixApiException.Reason#NOT_FOUND} when there is no such host
     */
    public boolean inMaintenance(String hostName, String eventId) throws ZabbixApiException {
        if (eventId == null) return maintenances.inMaintenance(hostName);
        return maintenances.inMaintenance(hostName, eventId);
    }

    /**
     * A recovery's questions in one HTTP request (a JSON-RPC batch; Zabbix answers them in one
     * pass of its frontend): is the problem event {@code eventId} resolved (not asked when null),
     * is {@code hostName} in maintenance ({@link #inMaintenance(String, String)}'s decision; not
     * asked when null), and
     * the value of the global macro {@code globalMacro} (not asked when null). Each answer fails on
     * its own ({@link GuardAnswers}); a failure of the request itself is thrown.
     */
    public GuardAnswers guard(String hostName, String eventId, String globalMacro) throws ZabbixApiException {
        return guards.ask(hostName, eventId, globalMacro);
    }

    /**
     * A host-down run's questions about the VMs of a dead KVM host, in one HTTP request: is each of
     * the Zabbix hosts {@code hosts} in maintenance (as {@link #inMaintenance(String)} decides), and
     * which problems tagged {@code vcrecovery=vm-down} are open for each of the VMs {@code vms} (by
     * their {@code vm} tag). Each answer fails on its own ({@link VmGuardAnswers}); a failure of the
     * request itself is thrown.
     */
    public VmGuardAnswers vmGuard(java.util.Collection<String> hosts, java.util.Collection<String> vms) throws ZabbixApiException {
        return guards.vms(java.util.Set.copyOf(hosts), java.util.Set.copyOf(vms));
    }

    /** The value of the global macro {@code name}, or null when it is not defined. */
    public String globalMacro(String name) throws ZabbixApiException {
        JsonRpcTransport.Call c = Guards.macroCall(name);
        return Guards.macroValue(session.call(c.method(), c.params(), ApiSession.FEW), name);
    }

    /**
     * {@code problem.get} with {@code problemGet} and, in the same request, what a recovery of one
     * of those problems would ask next: the hosts named {@code hosts}, every maintenance, the
     * global macro {@code globalMacro} (null: not asked). See {@link ProblemsAndGuard} for what it
     * can tell; only the request itself failing throws ({@code problem.get}'s own failure is
     * thrown by {@link ProblemsAndGuard#problems()}).
     */
    public ProblemsAndGuard problemsAndGuard(java.util.Map<String, Object> problemGet, java.util.Collection<String> hosts,
                                             String globalMacro) throws ZabbixApiException {
        return guards.withProblems(problemGet, hosts, globalMacro);
    }

    /** The maintenances that cover {@code host} directly or through one of its groups. */
    public List<Maintenance> maintenancesOf(Host host) throws ZabbixApiException {
        return maintenances.of(host);
    }

    /** Creates a one-time maintenance (with data collection) for {@code hostIds} from {@code start} for {@code length}. */
    public String createMaintenance(String name, List<String> hostIds, Instant start, Duration length)
            throws ZabbixApiException {
        return maintenances.create(name, hostIds, start, length);
    }

    public void deleteMaintenances(List<String> maintenanceIds) throws ZabbixApiException {
        maintenances.delete(maintenanceIds);
    }

    // ---- scripts, actions: Scripts ----------------------------------------------------------------

    public Optional<Script> scriptByName(String name) throws ZabbixApiException {
        return scripts.byName(name);
    }

    /** Creates a global script; returns its id. */
    public String createScript(Script script) throws ZabbixApiException {
        return scripts.create(script);
    }

    /** Updates the script with {@code script.scriptId()}. */
    public void updateScript(Script script) throws ZabbixApiException {
        scripts.update(script);
    }

    public void deleteScripts(List<String> scriptIds) throws ZabbixApiException {
        scripts.delete(scriptIds);
    }

    /** Runs a global script on a host now and returns its output (the agent must allow remote commands). */
    public ScriptResult executeScript(String scriptId, String hostId) throws ZabbixApiException {
        return scripts.execute(scriptId, hostId);
    }

    public Optional<Action> actionByName(String name) throws ZabbixApiException {
        return scripts.actionByName(name);
    }

    /** Creates a trigger action; returns its id. */
    public String createAction(ActionSpec spec) throws ZabbixApiException {
        return scripts.createAction(spec);
    }

    /** Replaces the conditions and operations of action {@code actionId} with {@code spec}'s. */
    public void updateAction(String actionId, ActionSpec spec) throws ZabbixApiException {
        scripts.updateAction(actionId, spec);
    }

    public void deleteActions(List<String> actionIds) throws ZabbixApiException {
        scripts.deleteActions(actionIds);
    }

    // ---- API tokens: Tokens -----------------------------------------------------------------------

    public List<ApiToken> tokens() throws ZabbixApiException {
        return tokens.all();
    }

    /** Creates and generates an API token for the calling user (or {@code userId} when not null). */
    public GeneratedToken createToken(String name, String userId) throws ZabbixApiException {
        return tokens.create(name, userId);
    }

    public void deleteTokens(List<String> tokenIds) throws ZabbixApiException {
        tokens.delete(tokenIds);
    }

    URI uri() {
        return session.uri();
    }

    /** Logs out the session this client opened with {@code user.login}, if any; a token is left alone. Never throws. */
    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        ZabbixVersion v = session.knownVersion();
        return "ZabbixApi[" + HttpPost.withoutUserInfo(session.uri()) + ", " + session.credentialKind()
                + (v == null ? "" : ", Zabbix " + v) + "]";
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
