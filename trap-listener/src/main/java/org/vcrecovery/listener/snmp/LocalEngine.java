package org.vcrecovery.listener.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import org.snmp4j.mp.MPv3;
import org.snmp4j.smi.OctetString;

/**
 * The listener's SNMP engine ID and boot counter, kept in {@code snmp-engine} in the state
 * directory so SNMPv3 informs keep working across restarts (senders cache the ID). Created on
 * first start with a random ID; the boot counter goes up by one per start.
 */
public record LocalEngine(byte[] engineId, int boots) {
    static final String FILE = "snmp-engine";

    /** Loads (or creates) the engine state in {@code dir} and records one more boot. */
    public static LocalEngine loadAndBoot(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        byte[] id = null;
        int boots = 0;
        if (Files.isRegularFile(f)) {
            String[] parts = Files.readString(f, StandardCharsets.US_ASCII).trim().split("\\s+");
            try {
                id = OctetString.fromHexString(parts[0]).getValue();
                boots = Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IOException(f + " is damaged; delete it to create a new engine ID (v3 senders then rediscover it)");
            }
        }
        if (id == null || id.length < 5) {
            byte[] rnd = new byte[8];
            new SecureRandom().nextBytes(rnd);
            id = MPv3.createLocalEngineID(new OctetString(rnd));
        }
        boots = boots >= Integer.MAX_VALUE - 1 ? 1 : boots + 1;
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, new OctetString(id).toHexString() + " " + boots + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new LocalEngine(id, boots);
    }

    /** Hex form, e.g. for snmpinform's {@code -e}; not a secret. */
    public String hex() {
        return new OctetString(engineId).toHexString().replace(":", "");
    }
}
