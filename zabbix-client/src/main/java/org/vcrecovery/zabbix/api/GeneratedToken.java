package org.vcrecovery.zabbix.api;

/**
 * A freshly generated API token ({@code token.generate}). {@link #toString()} redacts the secret;
 * write it only to a file readable by its owner.
 */
public record GeneratedToken(String tokenId, String token) {
    public GeneratedToken {
        if (tokenId == null) throw new NullPointerException("tokenId == null");
        if (token == null || token.isEmpty()) throw new IllegalArgumentException("token is empty");
    }

    @Override
    public String toString() {
        return "GeneratedToken[tokenId=" + tokenId + ", token=***]";
    }
}
