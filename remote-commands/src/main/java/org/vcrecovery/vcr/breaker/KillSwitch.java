package org.vcrecovery.vcr.breaker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The global kill switch of automatic recovery: the file {@code <state dir>/disabled} on this
 * host (its first line, when any, is the operator's reason), or the Zabbix global macro
 * {@value #MACRO} set to {@code 0} (for every standby host at once). Runs by hand (no event id)
 * are never stopped by it. Anything but {@code 0} in the macro, or no macro, means on.
 */
public final class KillSwitch {
    /** The Zabbix global macro; {@code 0} switches automatic recovery off. */
    public static final String MACRO = "{$VCR.AUTO}";

    private KillSwitch() {}

    public static Path file(Path stateDir) {
        return stateDir.resolve("disabled");
    }

    /** Why automatic recovery is off on this host (the file exists), or empty. An unreadable file still means off. */
    public static Optional<String> byFile(Path stateDir) {
        Path f = file(stateDir);
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8).strip();
            String reason = text.isEmpty() ? "" : ": " + text.lines().findFirst().orElse("").strip();
            if (reason.length() > 202) reason = reason.substring(0, 200) + "...";
            return Optional.of("automatic recovery is switched off (" + f + " exists" + reason + ")");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("automatic recovery is switched off (" + f + " exists, unreadable)");
        }
    }

    /** Why automatic recovery is off by the macro's value ({@code null}: not defined), or empty. */
    public static Optional<String> byMacro(String value) {
        if (value == null || !value.strip().equals("0")) return Optional.empty();
        return Optional.of("automatic recovery is switched off (Zabbix global macro " + MACRO + " = 0)");
    }
}
