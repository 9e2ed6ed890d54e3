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
        HMAC_SHA256("hmac-sha256", TSIG.HMAC_SHA256, "HmacSHA256", "SHA-256", 64),
        HMAC_SHA512("hmac-sha512", TSIG.HMAC_SHA512, "HmacSHA512", "SHA-512", 128),
        HMAC_SHA384("hmac-sha384", TSIG.HMAC_SHA384, "HmacSHA384", "SHA-384", 128),
        HMAC_SHA224("hmac-sha224", TSIG.HMAC_SHA224, "HmacSHA224", "SHA-224", 64),
        HMAC_SHA1("hmac-sha1", TSIG.HMAC_SHA1, "HmacSHA1", "SHA-1", 64),
        HMAC_MD5("hmac-md5", TSIG.HMAC_MD5, "HmacMD5", "MD5", 64);

        private final String bindName;
        private final Name wireName;
        private final String jcaName;
        private final String digest;
        private final int blockLength;

        Algorithm(String bindName, Name wireName, String jcaName, String digest, int blockLength) {
            this.bindName = bindName;
            this.wireName = wireName;
            this.jcaName = jcaName;
            this.digest = digest;
            this.blockLength = blockLength;
        }

        /** The name BIND and nsupdate use, e.g. {@code hmac-sha256}. */
        public String bindName() {
            return bindName;
        }

        /** The JCA name of the HMAC ({@code HmacSHA256}): dnsjava maps it back to the wire name. */
        String jcaName() {
            return jcaName;
        }

        /** The JCA name of the underlying digest ({@code SHA-256}). */
        String digest() {
            return digest;
        }

        /** The digest's block length in bytes (RFC 2104's B). */
        int blockLength() {
            return blockLength;
        }

        /** The algorithm's name on the wire ({@code hmac-sha256.}). */
        Name wireName() {
            return wireName;
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
        String t = withoutWhitespace(base64);
        if (t.isEmpty()) throw new IllegalArgumentException(where + ": the secret is empty");
        if (!isBase64(t) || t.length() % 4 == 1) {
            throw new IllegalArgumentException(where + ": the secret is not valid base64");
        }
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the secret is not valid base64");
        }
    }

    // loops rather than regexes: this runs once per vcr process, where compiling a Pattern is the cost

    /** {@code text} without the characters regex {@code \s} matches. */
    private static String withoutWhitespace(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\u000B' && c != '\f' && c != '\r') sb.append(c);
        }
        return sb.toString();
    }

    /** Whether {@code t} matches {@code [A-Za-z0-9+/]+={0,2}}. */
    private static boolean isBase64(String t) {
        int end = t.length();
        while (end > 0 && t.length() - end < 2 && t.charAt(end - 1) == '=') end--;
        if (end == 0) return false;
        for (int i = 0; i < end; i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) return false;
        }
        return true;
    }

    /**
     * The dnsjava signer for this key, on {@link Hmac} rather than the JCE's Mac (whose first use
     * costs a fresh JVM 15-30 ms of CPU); it signs and verifies exactly as dnsjava's own would.
     */
    TSIG toTsig() {
        try {
            return new TSIG(Hmac.of(algorithm, secret), Name.fromString(name));
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
