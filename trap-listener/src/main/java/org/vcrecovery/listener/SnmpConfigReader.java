package org.vcrecovery.listener;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vcrecovery.listener.snmp.SourceAllowlist;

/**
 * Reads the security part of the {@code snmp} section: communities, the source allowlist and
 * the SNMPv3 users with their passphrase files. There is no default community: SNMP on with
 * neither a community nor a v3 user is a configuration error (a forged {@code public} trap
 * must not be able to mark a VM crashed).
 */
final class SnmpConfigReader {
    private static final Set<String> AUTH = Set.of("NONE", "MD5", "SHA", "SHA224", "SHA256", "SHA384", "SHA512");
    private static final Set<String> PRIV = Set.of("NONE", "DES", "3DES", "AES", "AES128", "AES192", "AES256");
    private static final Set<String> USER_KEYS = Set.of("name", "auth-protocol", "auth-password-file", "priv-protocol", "priv-password-file");

    private SnmpConfigReader() {
    }

    /** Communities must be non-empty strings; with SNMP on, at least one community or v3 user must exist. */
    static void requireSomeAuthentication(boolean snmpOn, List<String> communities, List<ListenerConfig.V3User> users) throws ConfigException {
        for (String c : communities) if (c.isEmpty()) throw new ConfigException("snmp.communities", "empty community");
        if (snmpOn && communities.isEmpty() && users.isEmpty()) {
            throw new ConfigException("snmp.communities", "none configured and no snmp.v3-users: name the community your"
                    + " libvirt-snmp sends (there is no default), or v3 users, or set snmp.listen: off");
        }
    }

    /** {@code snmp.sources}: literal addresses and CIDR blocks. */
    static SourceAllowlist sources(List<String> entries) throws ConfigException {
        List<SourceAllowlist.Block> blocks = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                blocks.add(SourceAllowlist.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("snmp.sources[" + i + "]", e.getMessage());
            }
        }
        return new SourceAllowlist(blocks);
    }

    /** {@code snmp.v3-users}; passphrase files must pass the secret-file rule and hold at least 8 characters. */
    static List<ListenerConfig.V3User> v3Users(JsonNode n, SecretFiles secrets) throws ConfigException {
        List<ListenerConfig.V3User> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw new ConfigException("snmp.v3-users", "must be a list");
        for (int i = 0; i < n.size(); i++) {
            String k = "snmp.v3-users[" + i + "]";
            JsonNode u = n.get(i);
            if (!u.isObject()) throw new ConfigException(k, "must be a mapping");
            for (Iterator<String> it = u.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!USER_KEYS.contains(f)) throw new ConfigException(k + "." + f, "unknown key");
            }
            String name = u.path("name").asText("");
            if (name.isBlank()) throw new ConfigException(k + ".name", "missing");
            for (ListenerConfig.V3User other : out) {
                if (other.name().equals(name)) throw new ConfigException(k + ".name", "'" + name + "' is configured twice");
            }
            String auth = u.path("auth-protocol").asText("NONE").toUpperCase(Locale.ROOT);
            String priv = u.path("priv-protocol").asText("NONE").toUpperCase(Locale.ROOT);
            if (!AUTH.contains(auth)) throw new ConfigException(k + ".auth-protocol", "'" + auth + "' is not one of " + AUTH);
            if (!PRIV.contains(priv)) throw new ConfigException(k + ".priv-protocol", "'" + priv + "' is not one of " + PRIV);
            if (auth.equals("NONE") && !priv.equals("NONE")) throw new ConfigException(k + ".priv-protocol", "privacy needs an auth-protocol");
            Path authFile = passphraseFile(u, k, "auth-password-file", !auth.equals("NONE"), secrets);
            Path privFile = passphraseFile(u, k, "priv-password-file", !priv.equals("NONE"), secrets);
            out.add(new ListenerConfig.V3User(name, auth, authFile, priv, privFile));
        }
        return out;
    }

    private static Path passphraseFile(JsonNode u, String k, String field, boolean needed, SecretFiles secrets) throws ConfigException {
        String key = k + "." + field;
        String p = u.path(field).asText("");
        if (!needed) {
            if (!p.isBlank()) throw new ConfigException(key, "given, but its protocol is NONE");
            return null;
        }
        if (p.isBlank()) throw new ConfigException(key, "missing");
        Path path = Path.of(p);
        secrets.check(key, path, SecretFiles.Strictness.SECRET);
        try {
            if (readSecret(path).length() < 8) throw new ConfigException(key, "passphrase in " + path + " is shorter than 8 characters");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + path);
        }
        return path;
    }

    /** Reads a passphrase or token file (surrounding white space stripped). */
    static String readSecret(Path p) throws IOException {
        return Files.readString(p).strip();
    }
}
