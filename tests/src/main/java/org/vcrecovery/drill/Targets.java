package org.vcrecovery.drill;

/**
 * What a drill is judged against, by the Zabbix version in the loop and the mode (DESIGN.md's
 * performance targets and issue 13): failure → client reaches the standby (median, and p95 where
 * one was set), and vcr's own part, from the action's command starting ("action ran vcr") to DNS
 * switched, for a served warm run on 7.0. Null: no target was set for that case (said as such,
 * never judged). On 6.0 Zabbix's own polling (escalator every 3 s) is most of the total, so only
 * the warm total has a target there.
 *
 * @param zabbix     the version the figures were taken on ("7.0", "6.0")
 * @param medianMs   failure → client reaches standby, median
 * @param p95Ms      the same, p95
 * @param vcrPartMs  action ran vcr → DNS switched, median over served runs
 */
public record Targets(String zabbix, Long medianMs, Long p95Ms, Long vcrPartMs) {
    public Targets {
        if (zabbix == null) throw new NullPointerException("zabbix == null");
    }

    /** The targets for {@code mode} on Zabbix {@code zabbix} ("7.0" or "6.0"; another version has none). */
    public static Targets of(String zabbix, Mode mode) {
        if (zabbix.equals("7.0")) {
            return switch (mode) {
                case WARM -> new Targets(zabbix, 250L, 400L, 60L);
                case COLD -> new Targets(zabbix, 350L, null, null);
                case RESUME -> new Targets(zabbix, 400L, null, null);
            };
        }
        if (zabbix.equals("6.0") && mode == Mode.WARM) return new Targets(zabbix, 1500L, 3500L, null);
        return new Targets(zabbix, null, null, null);
    }

    /** Whether the total's {@code s} meets the median and p95 targets that exist; null when there is none. */
    public Boolean totalMet(Stats s) {
        if (medianMs == null && p95Ms == null) return null;
        return (medianMs == null || s.median() <= medianMs) && (p95Ms == null || s.p95() <= p95Ms);
    }

    /** Whether vcr's part {@code s} meets its target; null when there is none. */
    public Boolean vcrPartMet(Stats s) {
        return vcrPartMs == null ? null : s.median() <= vcrPartMs;
    }

    /** "target median <= 250 ms, p95 <= 400 ms (Zabbix 7.0, warm)", or "no target (Zabbix 6.0, cold)". */
    String describeTotal(Mode mode) {
        if (medianMs == null && p95Ms == null) return "no target (Zabbix " + zabbix + ", " + mode.key() + ")";
        return "target median <= " + medianMs + " ms" + (p95Ms == null ? "" : ", p95 <= " + p95Ms + " ms")
                + " (Zabbix " + zabbix + ", " + mode.key() + ")";
    }

    String describeVcrPart(Mode mode) {
        return vcrPartMs == null ? "no target (Zabbix " + zabbix + ", " + mode.key() + ")"
                : "target median <= " + vcrPartMs + " ms (served, Zabbix " + zabbix + ", " + mode.key() + ")";
    }
}
