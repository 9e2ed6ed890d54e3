package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;

/** An API token's metadata ({@code token.get}); never the secret itself. {@code expiresAt} 0 = never. */
public record ApiToken(String tokenId, String name, String userId, boolean enabled, long expiresAt) {
    static ApiToken from(JsonNode n) {
        return new ApiToken(Json.text(n, "tokenid"), Json.text(n, "name"), Json.text(n, "userid"),
                Json.integer(n, "status") == 0, Json.number(n, "expires_at"));
    }
}
