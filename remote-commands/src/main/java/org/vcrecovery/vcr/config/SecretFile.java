package org.vcrecovery.vcr.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;

/**
 * Reads secrets (API tokens, passwords, TSIG keys) from files that only their owner can read.
 *
 * <p>A file that is missing, not a regular file, readable or writable by group or others (mode
 * other than 0600 or 0400), or owned by another user is refused with {@link ExitCode#USAGE} and a
 * message naming the file and how to fix it. The secret itself never appears in a message.
 */
public final class SecretFile {
    private static final Set<PosixFilePermission> LOOSE = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFile() {}

    /** Checks {@code file}'s owner and mode; throws USAGE naming it when it is not private. */
    public static void requirePrivate(Path file, String what) {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) attrs = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new VcrException(ExitCode.USAGE, what + " " + file + " does not exist");
        } catch (IOException | UnsupportedOperationException e) {
            throw new VcrException(ExitCode.USAGE, "cannot check " + what + " " + file + ": " + e.getMessage());
        }
        if (!attrs.isRegularFile()) throw new VcrException(ExitCode.USAGE, what + " " + file + " is not a regular file");
        Set<PosixFilePermission> loose = EnumSet.copyOf(attrs.permissions());
        loose.retainAll(LOOSE);
        if (!loose.isEmpty()) {
            throw new VcrException(ExitCode.USAGE, what + " " + file + " is accessible by group or others (mode "
                    + mode(attrs.permissions()) + "): run chmod 600 " + file);
        }
        String me = System.getProperty("user.name");
        String owner = attrs.owner().getName();
        if (!owner.equals(me)) {
            throw new VcrException(ExitCode.USAGE, what + " " + file + " is owned by " + owner + ", not by " + me
                    + " who runs vcr: run chown " + me + " " + file);
        }
    }

    /** The file's first line, trimmed, after {@link #requirePrivate}. */
    public static String readFirstLine(Path file, String what) {
        requirePrivate(file, what);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = (nl < 0 ? text : text.substring(0, nl)).trim();
            if (line.isEmpty()) throw new VcrException(ExitCode.USAGE, what + " " + file + " is empty");
            return line;
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
        return String.format("%04o", m);
    }
}
