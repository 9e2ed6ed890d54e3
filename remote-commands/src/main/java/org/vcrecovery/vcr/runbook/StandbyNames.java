package org.vcrecovery.vcr.runbook;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The standby names of a runbook directory, sorted and without duplicates: what the Zabbix 7.0
 * host menu offers as a choice ({@code vcr zabbix install --runbooks}), what
 * {@code vcr zabbix agent-rules} allows one exact agent line for, and what
 * {@code vcr recover --pending --standby} accepts. Every runbook is read and validated: one that
 * cannot be used is a {@link org.vcrecovery.vcr.VcrException} (USAGE) naming it, never skipped
 * (a choice the menu would offer but vcr refuse, or the reverse, would be worse).
 */
public final class StandbyNames {
    private StandbyNames() {}

    public static List<String> of(RunbookCatalog catalog) {
        TreeSet<String> out = new TreeSet<>();
        for (Path p : catalog.files()) {
            for (Runbook.Standby s : RunbookCommand.load(p).standbys()) out.add(s.name());
        }
        return List.copyOf(out);
    }
}
