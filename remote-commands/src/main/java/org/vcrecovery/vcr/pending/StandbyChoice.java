package org.vcrecovery.vcr.pending;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.recover.Arguments;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.RunbookCommand;
import org.vcrecovery.vcr.runbook.StandbyNames;

/**
 * {@code vcr recover --pending --standby NAME}: the standby an operator chose in the Zabbix 7.0
 * host menu ({@code {MANUALINPUT}}). Zabbix checked it against the menu's list and the agent
 * allowed its exact line; vcr checks it once more against the runbooks of this host, before
 * asking Zabbix anything: it must be a plain name (an unresolved macro or an empty value is
 * refused here, where without {@code --pending} it would mean "not given") that at least one
 * runbook here has. Then only the pending events whose runbook has that standby run, each with
 * that standby only; the others stay pending for their action, each named on stderr.
 */
final class StandbyChoice {
    private StandbyChoice() {}

    /** {@code given} when it is a standby of a runbook in {@code catalog}; else USAGE, one line, nothing changed. */
    static String check(String given, RunbookCatalog catalog) {
        if (Arguments.absent(given)) {
            throw new VcrException(ExitCode.USAGE, "--standby '" + PendingEvents.printable(given) + "' names no standby: with --pending it is the"
                    + " host menu's choice and must be one; nothing was changed");
        }
        String name = Arguments.name("--standby", given);
        List<String> here = StandbyNames.of(catalog);
        if (!here.contains(name)) {
            throw new VcrException(ExitCode.USAGE, "--standby " + name + ": no runbook in " + catalog.dir() + " has that standby ("
                    + (here.isEmpty() ? "it has no runbooks" : "standbys here: " + String.join(", ", here)) + "); nothing was changed");
        }
        return name;
    }

    /** Whether the runbook of {@code e} (one {@link PendingRecoveries#heldHere} found) has {@code standby}; says so on {@code err} when not. */
    static boolean offeredBy(RunbookCatalog catalog, PendingEvents.Event e, String standby, PrintWriter err) {
        Path p;
        try {
            p = e.runbookIn(catalog);
        } catch (VcrException x) {
            return true; // its run says what is wrong with the runbook, as without --standby
        }
        if (p == null) return false;
        String service;
        try {
            var rb = RunbookCommand.load(p);
            if (rb.standby(standby).isPresent()) return true;
            service = rb.service();
        } catch (VcrException x) {
            return true;
        }
        err.println("vcr: skipped " + e.describe() + ": runbook " + service + " has no standby " + standby + ": left pending");
        return false;
    }

}
