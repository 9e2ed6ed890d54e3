package org.vcrecovery.vcr.breaker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.vcrecovery.vcr.recover.DedupLog;
import org.vcrecovery.vcr.recover.DedupLog.Now;
import org.vcrecovery.vcr.Names;

/**
 * Operators' approvals of held recoveries ({@code vcr approve}), in
 * {@code <state>/breaker/approved/service-<name>} or {@code host-<zabbix host>}: the moment it
 * was given ({@code <epoch-ms> [<boot-id>/<uptime-ms>]}), valid for {@link #VALIDITY}, measured
 * on the boot clock as the breaker's window is.
 *
 * <p>Why a recorded approval and not a recovery run by {@code vcr approve} itself: the approved
 * run is then the ordinary {@code vcr recover} (Zabbix's escalation repeating the action, the
 * host menu, or the operator with {@code --event-id}), with its lock, dedup, still-a-problem,
 * maintenance and confirmation guards and its ack; there is no second path that can fence. The
 * short validity keeps a forgotten approval from letting a later storm through. A service's
 * approval lets one run through (it is used up); a host's lets every service whose primary is
 * that Zabbix host through until it expires (a KVM host that really died).
 */
public final class Approvals {
    public static final Duration VALIDITY = Duration.ofMinutes(15);

    private final Path dir;

    public Approvals(Path stateDir) {
        this.dir = stateDir.resolve("breaker").resolve("approved");
    }

    /** Records an approval for {@code name} ({@code "service"} or {@code "host"}); the name must be a plain name. */
    public Path approve(String kind, String name, Now now) throws IOException {
        Path f = file(kind, name);
        Files.createDirectories(dir);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.writeString(tmp, now.wall().toEpochMilli() + (now.boot() == null ? "" : " " + now.boot() + "/" + now.uptimeMillis())
                + "\n", StandardCharsets.UTF_8);
        DedupLog.FSYNC.sync(tmp);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        DedupLog.FSYNC.sync(dir);
        return f;
    }

    /**
     * Whether the run of {@code service} (primary Zabbix host {@code host}, may be null) is
     * approved at {@code now}: a valid service approval (then used up) or host approval.
     * Expired approvals are removed.
     */
    public boolean take(String service, String host, Now now) throws IOException {
        if (valid(file("service", service), now)) {
            Files.deleteIfExists(file("service", service));
            return true;
        }
        return host != null && Names.isName(host) && valid(file("host", host), now);
    }

    private boolean valid(Path f, Now now) throws IOException {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return false;
        }
        String[] p = text.split(" ");
        Now at;
        try {
            Instant wall = Instant.ofEpochMilli(Long.parseLong(p[0]));
            at = Now.wall(wall);
            if (p.length == 2) {
                int slash = p[1].lastIndexOf('/');
                at = new Now(wall, p[1].substring(0, slash), Long.parseLong(p[1].substring(slash + 1)));
            }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            Files.deleteIfExists(f);
            return false;
        }
        if (FailureWindow.inside(at, now, VALIDITY)) return true;
        Files.deleteIfExists(f);
        return false;
    }

    private Path file(String kind, String name) {
        if (!kind.equals("service") && !kind.equals("host")) throw new IllegalArgumentException("kind: " + kind);
        if (!Names.isName(name)) throw new IllegalArgumentException("not a plain name: " + name);
        return dir.resolve(kind + "-" + name);
    }
}
