package org.vcrecovery.listener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The owner/mode rule for files that hold the listener's secrets (SNMP communities, SNMPv3
 * passphrases, the Zabbix API token) and for its config file. It is vcr's rule
 * ({@code remote-commands/.../config/SecretFile}: a regular file, no access for group or
 * others, owned by the user who runs it), adapted to a daemon:
 * <ul>
 *   <li>{@code root} may own the file too: root can read any file anyway, and an operator keeps
 *       {@code /etc/vcrecovery/*} root-owned.</li>
 *   <li>A file inside systemd's credentials directory ({@code $CREDENTIALS_DIRECTORY}, filled by
 *       {@code LoadCredential=}) is accepted as it is: systemd made it readable by this service
 *       only, through an ACL that shows up as group bits in the mode.</li>
 *   <li>A file without secrets (a config file that names no community) only has to be
 *       unwritable by group and others: whoever can change it decides where values go.</li>
 * </ul>
 * Every refusal is one {@link ConfigException} naming the config key, the file and the fix;
 * the file's content never appears in a message.
 */
final class SecretFiles {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** What a file must keep from group and others. */
    enum Strictness {
        /** Holds a secret: no access at all for group and others. */
        SECRET(GROUP_OR_OTHERS, "chmod 600"),
        /** Decides behaviour but holds no secret: not writable by group and others. */
        NOT_WRITABLE(WRITE, "chmod go-w");

        final Set<PosixFilePermission> forbidden;
        final String fix;

        Strictness(Set<PosixFilePermission> forbidden, String fix) {
            this.forbidden = forbidden;
            this.fix = fix;
        }
    }

    private final String user;
    private final Path credentialsDir;

    SecretFiles(String user, Path credentialsDir) {
        this.user = user;
        this.credentialsDir = credentialsDir;
    }

    /** The rule for this process: its user, and systemd's credentials directory if it has one. */
    static SecretFiles forThisProcess() {
        String creds = System.getenv("CREDENTIALS_DIRECTORY");
        return new SecretFiles(System.getProperty("user.name"), creds == null || creds.isBlank() ? null : Path.of(creds));
    }

    /** Checks {@code file} (named by config key {@code key}); throws naming both when it is not private enough. */
    void check(String key, Path file, Strictness strictness) throws ConfigException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class);
            if (inCredentialsDir(file)) return;
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, file + " does not exist");
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException(key, "cannot check " + file + ": " + e.getMessage());
        }
        String problem = problem(a.isRegularFile(), a.owner().getName(), a.permissions(), strictness);
        if (problem != null) throw new ConfigException(key, file + " " + problem.replace("FILE", file.toString()));
    }

    /**
     * The rule on its own: null when a file with these properties is acceptable, else what is
     * wrong and how to fix it ({@code FILE} stands for the path).
     */
    String problem(boolean regularFile, String owner, Set<PosixFilePermission> mode, Strictness strictness) {
        if (!regularFile) return "is not a regular file";
        Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
        loose.addAll(mode);
        loose.retainAll(strictness.forbidden);
        if (!loose.isEmpty()) {
            return "is " + (strictness == Strictness.SECRET ? "accessible" : "writable") + " by group or others (mode "
                    + octal(mode) + "): run " + strictness.fix + " FILE";
        }
        if (!owner.equals(user) && !owner.equals("root")) {
            return "is owned by " + owner + ", not by " + user + " who runs the listener (or root): run chown " + user + " FILE";
        }
        return null;
    }

    private boolean inCredentialsDir(Path file) throws IOException {
        if (credentialsDir == null || !Files.isDirectory(credentialsDir)) return false;
        return file.toRealPath().startsWith(credentialsDir.toRealPath());
    }

    static String octal(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
        return String.format("%04o", m);
    }
}
