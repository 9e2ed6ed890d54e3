package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A maintenance period as {@code maintenance.get} returns it: active between {@code activeSince}
 * and {@code activeTill} (epoch seconds) during its time periods, for the listed hosts and groups.
 */
public record Maintenance(String maintenanceId, String name, long activeSince, long activeTill, boolean collectsData,
        List<String> hostIds, List<String> groupIds, List<Period> periods) {

    public Maintenance {
        if (maintenanceId == null) throw new NullPointerException("maintenanceId == null");
        hostIds = hostIds == null ? List.of() : List.copyOf(hostIds);
        groupIds = groupIds == null ? List.of() : List.copyOf(groupIds);
        periods = periods == null ? List.of() : List.copyOf(periods);
    }

    /** A time period: {@code type} 0 one time only, 2 daily, 3 weekly, 4 monthly; {@code period} in seconds. */
    public record Period(int type, long startDate, long period) {
        public static final int ONE_TIME = 0;
    }

    /**
     * True when {@code now} falls in the active window and in one of its one-time periods. Repeating
     * periods (daily, weekly, monthly) are not evaluated here: the server's own
     * {@code maintenance_status} on the host covers them (updated by the server within a minute).
     */
    public boolean oneTimePeriodCovers(Instant now) {
        long t = now.getEpochSecond();
        if (t < activeSince || t >= activeTill) return false;
        for (Period p : periods) {
            if (p.type() == Period.ONE_TIME && t >= p.startDate() && t < p.startDate() + p.period()) return true;
        }
        return false;
    }

    static Maintenance from(JsonNode n) {
        JsonNode groups = n.has("hostgroups") ? n.get("hostgroups") : n.get("groups");
        return new Maintenance(Json.text(n, "maintenanceid"), Json.text(n, "name"), Json.number(n, "active_since"),
                Json.number(n, "active_till"), Json.integer(n, "maintenance_type") == 0, Json.ids(n.get("hosts"), "hostid"),
                Json.ids(groups, "groupid"), Json.list(n.get("timeperiods"), p -> new Period(Json.integer(p, "timeperiod_type"),
                        Json.number(p, "start_date"), Json.number(p, "period"))));
    }
}
