package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.vcrecovery.vcr.config.SecretFile;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.zabbix.api.AckAction;
import org.vcrecovery.zabbix.api.GuardAnswers;
import org.vcrecovery.zabbix.api.Host;
import org.vcrecovery.zabbix.api.Script;
import org.vcrecovery.zabbix.api.ScriptResult;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;
import org.vcrecovery.zabbix.api.ZabbixVersion;

/**
 * {@link ZabbixPort} over zabbix-client's {@link ZabbixApi}. The credentials are read from the
 * config's secret files (checked: owner-only) when this is created, so a bad file fails before
 * anything changes; no network call happens until the first method.
 */
public final class ZabbixApiPort implements ZabbixPort {
    private final ZabbixApi api;
    private final boolean token;

    private ZabbixApiPort(ZabbixApi api, boolean token) {
        this.api = api;
        this.token = token;
    }

    /** A port for {@code z}; throws {@link org.vcrecovery.vcr.VcrException} (USAGE) for a bad secret file. */
    public static ZabbixApiPort open(VcrConfig.Zabbix z) {
        return connect(z, secret(z));
    }

    /**
     * The token or password of {@code z}, read now (the file's owner and mode are checked: a bad
     * file is a {@link org.vcrecovery.vcr.VcrException} with USAGE before anything changes).
     */
    public static String secret(VcrConfig.Zabbix z) {
        return z.tokenFile() != null ? SecretFile.readFirstLine(z.tokenFile(), "Zabbix token file")
                : SecretFile.readFirstLine(z.passwordFile(), "Zabbix password file");
    }

    /** A port for {@code z} with a secret from {@link #secret}; loads the client (and Jackson) but makes no call. */
    public static ZabbixApiPort connect(VcrConfig.Zabbix z, String secret) {
        return new ZabbixApiPort(client(z, secret), z.tokenFile() != null);
    }

    /** The API client a port for {@code z} uses (timeouts, version, credentials); makes no call. */
    public static ZabbixApi client(VcrConfig.Zabbix z, String secret) {
        ZabbixApi.Builder b = ZabbixApi.builder(z.url())
                .connectTimeout(z.timeout())
                .requestTimeout(z.timeout())
                .readRetries(0);
        if (z.version() != null) b.version(ZabbixVersion.parse(z.version()));
        if (z.tokenFile() != null) b.token(secret);
        else b.login(z.user(), secret);
        return b.build();
    }

    @Override
    public boolean inMaintenance(String host, String eventId) throws IOException {
        return api.inMaintenance(host, eventId);
    }

    @Override
    public boolean problemResolved(String eventId) throws IOException {
        return api.event(eventId).map(e -> !"0".equals(e.recoveryEventId())).orElse(false);
    }

    /** One request for all of them ({@link ZabbixApi#guard}), on {@code executor}. */
    @Override
    public Questions ask(ExecutorService executor, String host, String eventId, String macro) {
        return split(CompletableFuture.supplyAsync(() -> guard(host, eventId, macro), executor), host, eventId, macro);
    }

    /** The answers to {@link #ask}'s questions, asked now in one request; a failure of the request is thrown unchecked. */
    GuardAnswers guard(String host, String eventId, String macro) {
        try {
            return api.guard(host, eventId, macro);
        } catch (ZabbixApiException e) {
            throw new CompletionException(e);
        }
    }

    /** The three futures of one request's {@code answers}; a failure of the request fails each of them. */
    static Questions split(CompletableFuture<GuardAnswers> answers, String host, String eventId, String macro) {
        return new Questions(eventId == null ? null : answers.thenApply(a -> answer(a::resolved)),
                host == null ? null : answers.thenApply(a -> answer(a::inMaintenance)),
                macro == null ? null : answers.thenApply(a -> answer(a::globalMacro)));
    }

    private interface Answer<T> {
        T get() throws ZabbixApiException;
    }

    private static <T> T answer(Answer<T> a) {
        try {
            return a.get();
        } catch (ZabbixApiException e) {
            throw new CompletionException(e);
        }
    }

    /** One request ({@link ZabbixApi#vmGuard}); each answer's failure said as unknown. */
    @Override
    public VmAnswers vms(java.util.Collection<String> hosts, java.util.Collection<String> vms) throws IOException {
        org.vcrecovery.zabbix.api.VmGuardAnswers a = api.vmGuard(hosts, vms);
        java.util.Map<String, Boolean> m = null;
        String mWhy = null;
        try {
            m = new java.util.LinkedHashMap<>();
            for (String h : hosts) {
                java.util.Optional<Boolean> in = a.inMaintenance(h);
                if (in.isPresent()) m.put(h, in.get());
            }
        } catch (ZabbixApiException e) {
            m = null;
            mWhy = describe(e);
        }
        java.util.Map<String, java.util.List<String>> ev = null;
        String evWhy = null;
        try {
            ev = new java.util.LinkedHashMap<>();
            for (String vm : vms) {
                java.util.List<String> ids = a.vmDownEvents(vm);
                if (!ids.isEmpty()) ev.put(vm, ids);
            }
        } catch (ZabbixApiException e) {
            ev = null;
            evWhy = describe(e);
        }
        return new VmAnswers(m, mWhy, ev, evWhy);
    }

    @Override
    public void acknowledge(String eventId, String message, boolean acknowledge) throws IOException {
        Set<AckAction> actions = acknowledge ? EnumSet.of(AckAction.ACKNOWLEDGE, AckAction.MESSAGE) : EnumSet.of(AckAction.MESSAGE);
        api.acknowledge(eventId, actions, message);
    }

    @Override
    public String runScript(String script, String host) throws IOException {
        Script s = api.scriptByName(script).orElseThrow(() -> new IOException("no Zabbix script named '" + script + "'"));
        Host h = api.hostByName(host).orElseThrow(() -> new IOException("no Zabbix host named '" + host + "'"));
        ScriptResult r;
        try {
            r = api.executeScript(s.scriptId(), h.hostId());
        } catch (ZabbixApiException e) {
            if (token && e.reason() == ZabbixApiException.Reason.HTTP_STATUS && e.httpStatus() == 500) {
                throw new IOException(e.getMessage() + " (Zabbix 6.0's frontend cannot run scripts for an API-token"
                        + " session: give user and password-file in vcr.yaml for runbooks with restart-service)", e);
            }
            throw e;
        }
        if (!r.success()) throw new IOException("script '" + script + "' failed on " + host + ": " + r.value());
        return r.value();
    }

    @Override
    public String globalMacro(String name) throws IOException {
        return api.globalMacro(name);
    }

    /** The API's message for a failure, with its reason: {@code TIMEOUT: host.get: ...}. */
    static String describe(IOException e) {
        return e instanceof ZabbixApiException z ? z.reason() + ": " + z.getMessage() : e.getMessage();
    }

    @Override
    public void close() {
        api.close();
    }
}
