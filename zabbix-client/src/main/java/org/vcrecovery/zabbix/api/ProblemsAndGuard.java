package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A {@code problem.get} answered together with what a recovery of one of those problems would ask
 * next ({@link ZabbixApi#problemsAndGuard}): the hosts the caller may recover, every maintenance
 * and a global macro, all from one request. What cannot be told from it is said as unknown
 * (empty), never guessed: the caller then asks the question itself.
 */
public final class ProblemsAndGuard {
    private final JsonNode problems;
    private final ZabbixApiException problemsFailure;
    private final JsonNode hosts;
    private final JsonNode maintenances;
    private final boolean macroAsked;
    private final String macroValue;
    private final String apiUserId;
    private final ZabbixApiException apiUserFailure;

    ProblemsAndGuard(JsonNode problems, ZabbixApiException problemsFailure, JsonNode hosts, JsonNode maintenances,
                     boolean macroAsked, String macroValue, String apiUserId, ZabbixApiException apiUserFailure) {
        this.problems = problems;
        this.problemsFailure = problemsFailure;
        this.hosts = hosts;
        this.maintenances = maintenances;
        this.macroAsked = macroAsked;
        this.macroValue = macroValue;
        this.apiUserId = apiUserId;
        this.apiUserFailure = apiUserFailure;
    }

    /**
     * The id of the Zabbix user this client authenticates as (whose acknowledgements are the
     * client's own), or the failure of the question that should have told it (a role that may
     * not read its own token with {@code token.get}, for one).
     */
    public String apiUserId() throws ZabbixApiException {
        if (apiUserFailure != null) throw apiUserFailure;
        if (apiUserId == null) {
            throw ZabbixApiException.of(ZabbixApiException.Reason.NOT_FOUND, "user.login",
                    "the login did not name this client's user id", null);
        }
        return apiUserId;
    }

    /** The answer of {@code problem.get}, or its failure. */
    public JsonNode problems() throws ZabbixApiException {
        if (problemsFailure != null) throw problemsFailure;
        return problems;
    }

    /**
     * For a problem event of this answer that Zabbix did not suppress (asked with
     * {@code suppressed: false}): whether {@code host} must still be left alone for maintenance,
     * decided as {@link ZabbixApi#inMaintenance(String, String)} decides. Empty when this answer
     * cannot tell: the host was not asked about or not found, its question failed, or its
     * maintenance flag is set (then it matters whose event it is, which {@code problem.get} does
     * not say: ask {@code inMaintenance} with the event).
     */
    public Optional<Boolean> unsuppressedEventInMaintenance(String host) {
        if (hosts == null || maintenances == null) return Optional.empty();
        for (Host h : Json.list(hosts, Host::from)) {
            if (!host.equals(h.host())) continue;
            if (h.maintenanceFlagCurrent()) return Optional.empty();
            return Optional.of(Maintenances.decide(null, h, maintenances));
        }
        return Optional.empty();
    }

    /** Whether the macro was asked and answered; then {@link #globalMacro()} is its value. */
    public boolean macroKnown() {
        return macroAsked;
    }

    /** The macro's value, null when it is not defined (or not known: see {@link #macroKnown()}). */
    public String globalMacro() {
        return macroValue;
    }
}
