package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * What a recovery needs from the Zabbix API: the maintenance flag of the primary's host, whether
 * the triggering problem is still open, the restart-service rung of the ladder, and the acknowledgement of the event. Implemented over
 * zabbix-client by {@link ZabbixApiPort}; tests use a recording fake.
 *
 * <p>Every failure to get an answer is an {@link IOException} whose message is one line without
 * credentials.
 */
public interface ZabbixPort extends AutoCloseable {

    /**
     * True when the recovery must leave {@code host} alone for maintenance. With an {@code eventId}:
     * when Zabbix suppressed that event, or a maintenance covering the host began less than a
     * minute ago (the host's own maintenance flag is not trusted: it stays set up to a minute after
     * a maintenance ends). Without one ({@code null}, a run by hand): the host's maintenance flag, or
     * such a new maintenance.
     */
    boolean inMaintenance(String host, String eventId) throws IOException;

    /**
     * True when the problem event {@code eventId} has already been resolved (its trigger went back
     * to OK): an action's escalation can run its command seconds after that, and recovering then
     * would fence a primary that is fine again.
     */
    boolean problemResolved(String eventId) throws IOException;

    /**
     * Adds {@code message} to the event; {@code acknowledge} also marks it acknowledged (done on
     * success; a failed recovery leaves the problem unacknowledged for a human).
     */
    void acknowledge(String eventId, String message, boolean acknowledge) throws IOException;

    /** Runs the global script called {@code script} on {@code host} and returns its output; throws if it failed. */
    String runScript(String script, String host) throws IOException;

    /**
     * The value of the global macro {@code name} (such as {@code {$VCR.AUTO}}), or null when it
     * is not defined. The default (ports that cannot tell): null.
     */
    default String globalMacro(String name) throws IOException {
        return null;
    }

    /** The guard's questions under way ({@link #ask}); each null when it was not asked. */
    record Questions(Future<Boolean> resolved, Future<Boolean> inMaintenance, Future<String> globalMacro) {}

    /**
     * Starts, on {@code executor}, the questions a run asks before it touches anything: whether
     * {@code eventId}'s problem is resolved ({@link #problemResolved}; when {@code eventId} is not
     * null), whether {@code host} is in maintenance ({@link #inMaintenance}; when {@code host} is
     * not null) and the global macro {@code macro} ({@link #globalMacro}; when not null). Returns at
     * once; each answer (or its own failure) arrives in its future. The default asks each on its
     * own thread; the API's port asks them all in one request.
     */
    default Questions ask(ExecutorService executor, String host, String eventId, String macro) {
        return new Questions(eventId == null ? null : executor.submit(() -> problemResolved(eventId)),
                host == null ? null : executor.submit(() -> inMaintenance(host, eventId)),
                macro == null ? null : executor.submit(() -> globalMacro(macro)));
    }

    /** Releases the session; never throws. */
    @Override
    void close();
}
