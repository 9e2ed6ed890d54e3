package org.vcrecovery.vcr.hostdown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.runbook.InvalidRunbookException;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookReader;

/**
 * The runbooks whose primary runs on one KVM host ({@code primary.kvm-host: NAME}). Each file
 * is looked at as text first; only those that mention the host are parsed, so a directory of
 * many runbooks costs one parse per VM of that host. A runbook that mentions the host but does
 * not read, or two runbooks for one service, is a {@link VcrException} (USAGE) naming the file
 * and its problems (file:line): nothing runs when one of the host's runbooks is broken, since a
 * partial recovery the operator did not see coming is worse than a clear refusal.
 */
final class HostRunbooks {
    private HostRunbooks() {}

    private static Pattern mention(String kvmHost) {
        return Pattern.compile("(?m)^\\s*kvm-host\\s*:\\s*[\"']?" + Pattern.quote(kvmHost) + "[\"']?\\s*(#.*)?$");
    }

    /** Whether a runbook file of {@code catalog} mentions {@code kvmHost} as a kvm-host (a look at the text: nothing is parsed). */
    static boolean mentioned(RunbookCatalog catalog, String kvmHost) {
        Pattern mention = mention(kvmHost);
        for (Path p : catalog.files()) {
            try {
                if (mention.matcher(Files.readString(p, StandardCharsets.UTF_8)).find()) return true;
            } catch (IOException e) {
                // unreadable: its own runs say what is wrong with it
            }
        }
        return false;
    }

    static List<Runbook> find(RunbookCatalog catalog, String kvmHost) {
        Pattern mention = mention(kvmHost);
        List<Runbook> out = new ArrayList<>();
        Map<String, Path> services = new HashMap<>();
        for (Path p : catalog.files()) {
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue; // unreadable: it cannot name the host; its own runs say what is wrong
            }
            if (!mention.matcher(text).find()) continue;
            Runbook rb;
            try {
                rb = RunbookReader.read(p);
            } catch (IOException | InvalidRunbookException e) {
                throw new VcrException(ExitCode.USAGE, "runbook " + p + " mentions kvm-host " + kvmHost
                        + " but cannot be used (nothing was changed):\n" + e.getMessage());
            }
            if (!kvmHost.equals(rb.primary().kvmHost())) continue;
            Path earlier = services.put(rb.service(), p);
            if (earlier != null) {
                throw new VcrException(ExitCode.USAGE, "runbooks " + earlier + " and " + p + " both recover service "
                        + rb.service() + "; nothing was changed");
            }
            out.add(rb);
        }
        if (out.isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "no runbook in " + catalog.dir() + " has primary.kvm-host " + kvmHost
                    + "; nothing was changed");
        }
        return out;
    }
}
