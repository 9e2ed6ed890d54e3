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

    /**
     * A host-down run's answers about its VMs ({@link #vms}). {@code inMaintenance}: the Zabbix
     * hosts known to Zabbix, each in maintenance or not (a host missing from it is unknown: no such
     * host), or null with {@code maintenanceUnknown} saying why the question failed. {@code events}:
     * the open vm-down problems per VM (domain), or null with {@code eventsUnknown} saying why.
     */
    record VmAnswers(java.util.Map<String, Boolean> inMaintenance, String maintenanceUnknown,
                     java.util.Map<String, java.util.List<String>> events, String eventsUnknown) {}

    /**
     * For a host-down run, about the VMs of the dead KVM host: whether each Zabbix host of
     * {@code hosts} is in maintenance (as {@link #inMaintenance} without an event decides) and the
     * open problems tagged {@code vcrecovery=vm-down} of each VM of {@code vms} (by its {@code vm}
     * tag). The default asks {@link #inMaintenance} host by host and cannot tell the events; the
     * API's port asks everything in one request. Throws only when nothing could be asked.
     */
    default VmAnswers vms(java.util.Collection<String> hosts, java.util.Collection<String> vms) throws IOException {
        java.util.Map<String, Boolean> m = new java.util.LinkedHashMap<>();
        for (String h : hosts) {
            try {
                m.put(h, inMaintenance(h, null));
            } catch (IOException e) {
                // unknown: left out
            }
        }
        return new VmAnswers(m, null, null, "this Zabbix port cannot list problems");
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
