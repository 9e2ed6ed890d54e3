package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/** {@code configuration.import}, with the rules object each server version takes ({@link ImportRules}). */
final class Imports {
    private final ApiSession api;

    Imports(ApiSession api) {
        this.api = api;
    }

    void importYaml(String yaml, ImportRules rules) throws ZabbixApiException {
        JsonNode r = api.call("configuration.import", Map.of("format", "yaml", "source", yaml,
                "rules", rules.toParams(api.version())), TINY);
        if (!r.asBoolean(false)) {
            throw ZabbixApiException.of(Reason.API_ERROR, "configuration.import", "configuration.import returned " + r, null);
        }
    }
}
