package org.vcrecovery.vcr.zabbix.templates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Deterministic template UUIDs: 32 lowercase hex digits in UUIDv4 layout (version nibble 4,
 * RFC 4122 variant), derived from the MD5 of the object's path in the template
 * ({@code "template/vcrecovery KVM host/item/vcr.listener.traps.received"}). Regenerating the
 * templates therefore keeps every UUID, so Zabbix updates objects in place instead of
 * re-creating them.
 */
public final class Uuids {
    /** What Zabbix 6.0 accepts and what we promise: v4 layout, lowercase, no dashes. */
    public static final Pattern VALID = Pattern.compile("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");

    private Uuids() {
    }

    public static String of(String path) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("MD5").digest(path.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 missing from this JDK", e);
        }
        h[6] = (byte) ((h[6] & 0x0f) | 0x40);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        return HexFormat.of().formatHex(h);
    }
}
