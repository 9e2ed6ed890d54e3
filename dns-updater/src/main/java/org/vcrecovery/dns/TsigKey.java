package org.vcrecovery.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945): name, algorithm and secret, used to sign updates and to verify replies.
 *
 * <p>Read one from a BIND key file ({@link #fromFile}, what {@code tsig-keygen} writes) or from a
 * {@code name:base64} / {@code algorithm:name:base64} string ({@link #parse}). Both throw
 * {@link IllegalArgumentException} with a readable message (never containing the secret) when
 * the input is wrong; {@link #fromFile} also refuses a file that group or others may read.
 * {@link #toString()} never shows the secret.
 */
public final class TsigKey {
    private final String name;
    private final Algorithm algorithm;
    private final byte[] secret;

    /** The HMAC algorithms accepted, by their BIND names. */
    public enum Algorithm {
        HMAC_SHA256("hmac-sha256", TSIG.HMAC_SHA256),
        HMAC_SHA512("hmac-sha512", TSIG.HMAC_SHA512),
        HMAC_SHA384("hmac-sha384", TSIG.HMAC_SHA384),
        HMAC_SHA224("hmac-sha224", TSIG.HMAC_SHA224),
        HMAC_SHA1("hmac-sha1", TSIG.HMAC_SHA1),
        HMAC_MD5("hmac-md5", TSIG.HMAC_MD5);

        private final String bindName;
        private final Name wireName;

        Algorithm(String bindName, Name wireName) {
            this.bindName = bindName;
            this.wireName = wireName;
        }

        /** The name BIND and nsupdate use, e.g. {@code hmac-sha256}. */
        public String bindName() {
            return bindName;
        }

        /** Accepts {@code hmac-sha256}, {@code HMAC-SHA256} and {@code hmac-md5.sig-alg.reg.int}. */
        public static Algorithm parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
            if (t.equals("hmac-md5.sig-alg.reg.int")) return HMAC_MD5;
            for (Algorithm a : values()) {
                if (a.bindName.equals(t)) return a;
            }
            throw new IllegalArgumentException("algorithm: " + text
                    + " is not one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1, hmac-md5");
        }
    }

    /**
     * A key from its parts; {@code secret} is copied. Throws naming the field if the name is not a
     * domain name or the secret is empty.
     */
    public TsigKey(String name, Algorithm algorithm, byte[] secret) {
        Objects.requireNonNull(name, "name == null");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm == null");
        Objects.requireNonNull(secret, "secret == null");
        if (secret.length == 0) throw new IllegalArgumentException("secret: empty");
        try {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) throw new IllegalArgumentException("name: empty key name");
            this.name = Name.fromString(n.endsWith(".") ? n : n + ".").toString();
        } catch (TextParseException e) {
            throw new IllegalArgumentException("name: " + name + " is not a valid key name");
        }
        this.secret = secret.clone();
    }

    /** The key name, absolute ({@code ddns-key.example.test.}). */
    public String name() {
        return name;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /**
     * Parses {@code name:base64} (hmac-sha256) or {@code algorithm:name:base64}, the forms
     * {@code nsupdate -y} takes.
     */
    public static TsigKey parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("tsig key: empty");
        String[] parts = text.trim().split(":", -1);
        return switch (parts.length) {
            case 2 -> new TsigKey(parts[0], Algorithm.HMAC_SHA256, decode(parts[1], "tsig key"));
            case 3 -> new TsigKey(parts[1], Algorithm.parse(parts[0]), decode(parts[2], "tsig key"));
            default -> throw new IllegalArgumentException(
                    "tsig key: expected name:base64 or algorithm:name:base64, got " + (parts.length - 1) + " colons");
        };
    }

    /**
     * Reads a BIND key file ({@code key "name" { algorithm hmac-sha256; secret "base64"; };}),
     * tolerating {@code #}, {@code //} and {@code /* *}{@code /} comments. Refuses a file readable
     * by group or others (the secret must be the owner's only).
     */
    public static TsigKey fromFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file == null");
        checkPermissions(file);
        return KeyFileParser.parse(Files.readString(file), file.toString());
    }

    private static void checkPermissions(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalArgumentException("tsig key file " + file + " is readable by "
                    + (perms.contains(PosixFilePermission.OTHERS_READ) ? "others" : "its group")
                    + ": the secret must be readable by its owner only; run: chmod 600 " + file);
        }
    }

    static byte[] decode(String base64, String where) {
        String t = base64.replaceAll("\\s", "");
        if (t.isEmpty()) throw new IllegalArgumentException(where + ": the secret is empty");
        if (!t.matches("[A-Za-z0-9+/]+={0,2}") || t.length() % 4 == 1) {
            throw new IllegalArgumentException(where + ": the secret is not valid base64");
        }
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the secret is not valid base64");
        }
    }

    /** The dnsjava signer for this key. */
    TSIG toTsig() {
        try {
            return new TSIG(algorithm.wireName, Name.fromString(name), secret);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code hmac-sha256:name (secret not shown)}: safe to log. */
    @Override
    public String toString() {
        return algorithm.bindName + ":" + name + " (secret not shown)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsigKey k && k.name.equals(name) && k.algorithm == algorithm
                && java.security.MessageDigest.isEqual(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, algorithm);
    }
}
