package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.MANY;
import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API tokens ({@code token.*}). */
final class Tokens {
    private final ApiSession api;

    Tokens(ApiSession api) {
        this.api = api;
    }

    List<ApiToken> all() throws ZabbixApiException {
        return Json.list(api.call("token.get", Map.of("output", List.of("tokenid", "name", "userid", "status",
                "expires_at")), MANY), ApiToken::from);
    }

    GeneratedToken create(String name, String userId) throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        if (userId != null) p.put("userid", userId);
        String id = Json.firstId(api.call("token.create", p, TINY), "tokenids");
        JsonNode generated = api.call("token.generate", List.of(id), TINY);
        return new GeneratedToken(id, generated.path(0).path("token").asText());
    }

    void delete(List<String> tokenIds) throws ZabbixApiException {
        if (!tokenIds.isEmpty()) api.call("token.delete", tokenIds, MANY);
    }
}
