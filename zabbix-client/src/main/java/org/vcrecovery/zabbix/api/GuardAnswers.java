package org.vcrecovery.zabbix.api;

/**
 * The answers to the questions a recovery asks before it touches anything ({@link ZabbixApi#guard}),
 * each with its own failure: one question the server refused does not take the others' answers
 * with it. A question that was not asked (no event, no macro) answers as if the thing it asks
 * about did not exist.
 */
public final class GuardAnswers {
    private final Boolean resolved;
    private final Boolean inMaintenance;
    private final String macro;
    private final ZabbixApiException resolvedFailure;
    private final ZabbixApiException maintenanceFailure;
    private final ZabbixApiException macroFailure;

    GuardAnswers(Boolean resolved, ZabbixApiException resolvedFailure, Boolean inMaintenance,
                 ZabbixApiException maintenanceFailure, String macro, ZabbixApiException macroFailure) {
        this.resolved = resolved;
        this.resolvedFailure = resolvedFailure;
        this.inMaintenance = inMaintenance;
        this.maintenanceFailure = maintenanceFailure;
        this.macro = macro;
        this.macroFailure = macroFailure;
    }

    /** True when the problem event has been resolved; false when it is open, does not exist or was not asked about. */
    public boolean resolved() throws ZabbixApiException {
        if (resolvedFailure != null) throw resolvedFailure;
        return resolved != null && resolved;
    }

    /**
     * As {@link ZabbixApi#inMaintenance(String, String)}: NOT_FOUND when there is no such host, the
     * event question's failure when that failed (the decision needs the event); false when not asked.
     */
    public boolean inMaintenance() throws ZabbixApiException {
        if (maintenanceFailure != null) throw maintenanceFailure;
        return inMaintenance != null && inMaintenance;
    }

    /** The global macro's value, or null when it is not defined or was not asked for. */
    public String globalMacro() throws ZabbixApiException {
        if (macroFailure != null) throw macroFailure;
        return macro;
    }
}
