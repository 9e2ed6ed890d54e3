package org.vcrecovery.vcr.rebalance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vcrecovery.zabbix.api.ZabbixApi;

/**
 * {@link RebalanceZabbix} over the Zabbix API (6.0 and later). A CPU value older than
 * {@link #STALE} counts as none: a recovery VM whose agent went quiet is no target, and a stale
 * average never confirms a problem.
 */
final class ZabbixRebalancePort implements RebalanceZabbix {
    static final Duration STALE = Duration.ofMinutes(5);

    private final ZabbixApi api;

    ZabbixRebalancePort(ZabbixApi api) {
        this.api = api;
    }

    @Override
    public Map<String, Double> cpu(Collection<String> hosts) throws IOException {
        Map<String, Double> out = new HashMap<>();
        if (hosts.isEmpty()) return out;
        JsonNode items = api.call("item.get", Map.of(
                "output", List.of("itemid", "lastvalue", "lastclock"),
                "selectHosts", List.of("host"),
                "filter", Map.of("key_", CPU_AVG, "host", List.copyOf(hosts)),
                "templated", false));
        long now = Instant.now().getEpochSecond();
        for (JsonNode it : items) {
            long clock = it.path("lastclock").asLong(0);
            if (clock <= 0 || now - clock > STALE.toSeconds()) continue;
            String v = it.path("lastvalue").asText("");
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!Double.isFinite(d) || d < 0) continue;
            for (JsonNode h : it.path("hosts")) out.put(h.path("host").asText(), d);
        }
        return out;
    }

    @Override
    public Optional<String> openProblem(String host) throws IOException {
        JsonNode hosts = api.call("host.get", Map.of("output", List.of("hostid"), "filter", Map.of("host", List.of(host))));
        if (!hosts.isArray() || hosts.isEmpty()) return Optional.empty();
        List<String> ids = new ArrayList<>();
        for (JsonNode h : hosts) ids.add(h.path("hostid").asText());
        JsonNode problems = api.call("problem.get", Map.of(
                "output", List.of("eventid", "clock"),
                "hostids", ids,
                "tags", List.of(Map.of("tag", "vcrecovery", "value", TAG, "operator", "1")),
                "acknowledged", false,
                "suppressed", false,
                "sortfield", List.of("eventid"),
                "sortorder", "ASC"));
        for (JsonNode p : problems) return Optional.of(p.path("eventid").asText());
        return Optional.empty();
    }

    @Override
    public String globalMacro(String name) throws IOException {
        return api.globalMacro(name);
    }

    /**
     * A message on the event, not an acknowledgement: the action runs again every minute while the
     * average stays high (one more service each time), until an operator acknowledges the problem.
     */
    @Override
    public void acknowledge(String eventId, String message) throws IOException {
        api.acknowledge(eventId, java.util.Set.of(org.vcrecovery.zabbix.api.AckAction.MESSAGE), message);
    }

    @Override
    public void close() {
        api.close();
    }
}
