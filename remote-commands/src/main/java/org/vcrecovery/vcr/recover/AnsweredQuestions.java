package org.vcrecovery.vcr.recover;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.vcrecovery.zabbix.api.ProblemsAndGuard;

/**
 * Guard answers a run need not ask again: read from the API a moment before the run, by the
 * request that found its event ({@code vcr recover --pending}'s {@code problem.get}, which lists
 * only problems that are open, unacknowledged and not suppressed, asked together with the hosts
 * of this machine's runbooks, every maintenance and the kill-switch macro). For an event that
 * request listed ({@code open}), "is it still a problem?" is answered yes and the maintenance
 * question is answered from the suppression Zabbix decided and the maintenances read, where that
 * answer can tell ({@link ProblemsAndGuard#unsuppressedEventInMaintenance}). Anything else, and
 * every question about an event it did not list, is left for the run to ask itself (null).
 */
public final class AnsweredQuestions {
    private final Set<String> open;
    private final ProblemsAndGuard answers;

    /** @param open the events {@code answers}' {@code problem.get} listed (open, unacknowledged, unsuppressed) */
    public AnsweredQuestions(Collection<String> open, ProblemsAndGuard answers) {
        this.open = Set.copyOf(open);
        this.answers = answers;
    }

    /**
     * The answers known for a run of {@code eventId} on {@code host} asking {@code macro} (null:
     * not asked): each a completed future, or null where the run must ask.
     */
    ZabbixPort.Questions questions(String host, String eventId, String macro) {
        boolean seen = eventId != null && open.contains(eventId);
        Optional<Boolean> maintenance = seen ? answers.unsuppressedEventInMaintenance(host) : Optional.empty();
        return new ZabbixPort.Questions(seen ? CompletableFuture.completedFuture(false) : null,
                maintenance.map(CompletableFuture::completedFuture).orElse(null),
                macro != null && answers.macroKnown() ? CompletableFuture.completedFuture(answers.globalMacro()) : null);
    }
}
