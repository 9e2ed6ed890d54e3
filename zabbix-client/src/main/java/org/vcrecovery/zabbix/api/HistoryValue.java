package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One stored value of an item ({@code history.get}), as text. */
public record HistoryValue(String itemId, long clock, int ns, String value) {
    public Instant instant() {
        return Instant.ofEpochSecond(clock, ns);
    }

    static HistoryValue from(JsonNode n) {
        return new HistoryValue(Json.text(n, "itemid"), Json.number(n, "clock"), Json.integer(n, "ns"), Json.text(n, "value", ""));
    }
}
