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
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;

/**
 * The files vcr trusts, and the rules they must pass before they are used.
 *
 * <p>Secrets (API tokens, passwords, TSIG keys, client keys): {@link #requirePrivate}. A file
 * that is missing, not a regular file, readable or writable by group or others (mode other than
 * 0600 or 0400), or owned by another user is refused.
 *
 * <p>Files that decide what vcr destroys and which key signs DNS (vcr.yaml, runbooks):
 * {@link #requireProtected}. Anyone who can write one can make vcr destroy a healthy VM or sign
 * an update of their choosing, so only the one running vcr and root may: the file, and the
 * directory holding it (which could swap the file), must be owned by root or by the user running
 * vcr and not be writable by group or others (a sticky directory such as /tmp may be, since
 * nobody else can replace a file in it).
 *
 * <p>Every refusal is {@link ExitCode#USAGE} with one line naming the file and the fix. A secret
 * never appears in a message.
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

    /** Checks {@code file} and its directory as the class comment says; throws USAGE naming what is wrong. */
    public static void requireProtected(Path file, String what) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new VcrException(ExitCode.USAGE, what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot check " + what + " " + file + ": " + e.getMessage());
        }
        String shown = real.equals(file) ? file.toString() : file + " (" + real + ")";
        protect(real, what + " " + shown, "chmod go-w " + real);
        Path dir = real.getParent();
        if (dir != null) protect(dir, "the directory " + dir + " of " + what + " " + shown, "chmod go-w " + dir);
    }

    private static void protect(Path p, String what, String fix) {
        Map<String, Object> unix;
        try {
            unix = Files.readAttributes(p, "unix:uid,mode,owner");
        } catch (IOException | UnsupportedOperationException e) {
            throw new VcrException(ExitCode.USAGE, "cannot check " + what + ": " + e.getMessage());
        }
        String me = System.getProperty("user.name");
        String owner = ((java.nio.file.attribute.UserPrincipal) unix.get("owner")).getName();
        if ((Integer) unix.get("uid") != 0 && !owner.equals(me)) {
            throw new VcrException(ExitCode.USAGE, what + " is owned by " + owner + ": only root or " + me
                    + " who runs vcr may own it (it decides what vcr destroys): run chown " + me + " " + p);
        }
        int mode = (Integer) unix.get("mode");
        boolean sticky = (mode & 01000) != 0 && Files.isDirectory(p);
        if ((mode & 0022) != 0 && !sticky) {
            throw new VcrException(ExitCode.USAGE, what + " is writable by " + ((mode & 0002) != 0 ? "others" : "its group")
                    + " (mode " + String.format("%04o", mode & 07777) + "): only its owner and root may change what vcr"
                    + " destroys; run " + fix);
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
