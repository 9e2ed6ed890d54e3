package org.vcrecovery.vcr.pending;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.zabbix.api.ProblemsAndGuard;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * The vcrecovery problems Zabbix has open and no vcr run has handled yet, read from the API: what
 * {@code vcr recover --pending} recovers. This is the only source of the event id, the trigger's
 * host and the VM a pending run acts on; nothing comes from the command line (the agent's rules
 * allow one literal command, see recovery-scripts/agent).
 *
 * <p>A problem is pending when it is open ({@code problem.get}), raised by a trigger tagged
 * {@code vcrecovery=vm-down} or {@code vcrecovery=host-down} (what the installed actions select),
 * not suppressed (maintenance), not acknowledged, and carries no message from a vcr run (every
 * run that did something of its own annotates the event with a message starting
 * {@value #VCR_MESSAGE}): a problem a run already handled, recovered or not, is never taken
 * again, as no action would run for it again either. Runs refused the lock or dropped as
 * duplicates leave no message, so a problem whose run is still going on stays listed, and its
 * service lock and dedup record keep a second run from doing anything.
 *
 * <p>A message is a vcr run's only when the Zabbix user who wrote it is the one vcr's API
 * credential belongs to ({@link ZabbixApi#userId()}): any user allowed to acknowledge can type
 * "vcr: web held: ..." or "vcr: web recovered", and such a message must neither hide a pending
 * problem nor make one look held. When that user cannot be told (its role may not read its own
 * token), no message counts as vcr's: every open problem is pending (a recovered one is then a
 * duplicate its dedup record drops; a failed one is tried again, as an escalation step would try
 * it) and none is held; {@link Result#skipped} says so.
 *
 * <p>The VM comes from the problem's {@code vm} tag; the trigger's host, needed only for a
 * problem without one (host-down), from {@code event.get}. A problem with two different {@code vm}
 * tags, with no host or several, or with a name vcr would refuse is listed in {@link Result#skipped}
 * with the reason, never guessed at.
 */
public final class PendingEvents {
    /** The start of every acknowledgement message vcr writes ({@code RecoveryReport.ackMessage}). */
    static final String VCR_MESSAGE = "vcr: ";
    static final List<String> RECOVERY_TAGS = List.of("vm-down", "host-down");

    /** One problem to recover: its event, and the VM (null for host-down) or the trigger's host. */
    public record Event(String eventId, String triggerHost, String vm) {
        public Event {
            Objects.requireNonNull(eventId, "eventId == null");
            if (triggerHost == null && vm == null) throw new IllegalArgumentException("neither triggerHost nor vm");
        }

        String describe() {
            return "event " + eventId + (vm != null ? " (VM " + vm + ")" : " (host " + triggerHost + ")");
        }

        /**
         * The runbook in {@code catalog} this event is for, or null: by VM when the event names one
         * (a VM-down event never falls back to its KVM host), else by the trigger's host. A runbook
         * that mentions it but cannot be read is a {@link org.vcrecovery.vcr.VcrException} naming it.
         */
        java.nio.file.Path runbookIn(org.vcrecovery.vcr.runbook.RunbookCatalog catalog) {
            return vm != null ? catalog.findBy("domain", vm) : catalog.findBy("zabbix-host", triggerHost);
        }
    }

    /**
     * The pending events in event-id order, the problems left out with why, and {@code warning}:
     * null, or why no acknowledgement was taken as vcr's.
     */
    public record Result(List<Event> events, List<String> skipped, String warning) {
        public Result {
            events = List.copyOf(events);
            skipped = List.copyOf(skipped);
        }

        /** Says the warning and the skipped problems on {@code err}, one line each. */
        public void tell(java.io.PrintWriter err) {
            if (warning != null) err.println("vcr: " + warning);
            for (String s : skipped) err.println("vcr: skipped " + s);
        }
    }

    private PendingEvents() {}

    /**
     * The problems a vcr run held and nothing has handled since: open, unacknowledged, unsuppressed
     * vcrecovery problems whose latest vcr message says {@code held:} (the circuit breaker or the kill
     * switch, exit 15). What {@code vcr approve --held} approves and runs. One request
     * ({@code problem.get} with the question of who vcr is), and one {@code event.get} when a
     * problem has no vm tag.
     */
    public static Result findHeld(ZabbixApi api) throws ZabbixApiException {
        ProblemsAndGuard answers = api.problemsAndGuard(query(), List.of(), null);
        return read(api, answers.problems(), ownUser(answers), true);
    }

    /** {@code answers}' id of vcr's API user, or none and why. */
    static OwnUser ownUser(ProblemsAndGuard answers) {
        try {
            return new OwnUser(answers.apiUserId(), null);
        } catch (ZabbixApiException e) {
            return new OwnUser(null, "vcr's own acknowledgements cannot be told from others' (" + e.getMessage()
                    + "): no 'vcr: ' message is taken as vcr's");
        }
    }

    /** Whose acknowledgement messages are vcr's: {@code id}, or none when null ({@code why} says so). */
    record OwnUser(String id, String why) {}

    /** The {@code problem.get} parameters that list the candidates: open, unsuppressed, unacknowledged, recovery-tagged. */
    static Map<String, Object> query() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("output", List.of("eventid"));
        p.put("source", 0);
        p.put("object", 0);
        p.put("acknowledged", false);
        p.put("suppressed", false);
        p.put("recent", false);
        p.put("evaltype", 0);
        p.put("tags", RECOVERY_TAGS.stream().map(v -> Map.of("tag", "vcrecovery", "value", v, "operator", 1)).toList());
        p.put("selectTags", "extend");
        p.put("selectAcknowledges", List.of("acknowledgeid", "userid", "clock", "message"));
        p.put("sortfield", List.of("eventid"));
        p.put("sortorder", "ASC");
        return p;
    }

    /**
     * The pending events in {@code answers}, {@link #query}'s answer with vcr's user id
     * ({@link ZabbixApi#problemsAndGuard}); one {@code event.get} when a problem has no vm tag.
     */
    static Result read(ZabbixApi api, ProblemsAndGuard answers) throws ZabbixApiException {
        return read(api, answers.problems(), ownUser(answers), false);
    }

    /** As {@link #read(ZabbixApi, ProblemsAndGuard)}; {@code held}: only the problems whose latest vcr message is a hold. */
    private static Result read(ZabbixApi api, JsonNode problems, OwnUser own, boolean held) throws ZabbixApiException {
        List<String> skipped = new ArrayList<>();
        Map<String, String> vms = new LinkedHashMap<>();
        for (JsonNode pr : problems) {
            String id = pr.path("eventid").asText();
            if (!id.matches("[0-9]{1,20}") || (held ? !lastHeld(pr, own.id()) : handled(pr, own.id()))) continue;
            if (!recoveryTagged(pr)) continue; // the API's tag filter already did this: a second look costs nothing
            Set<String> vmTags = new LinkedHashSet<>();
            for (JsonNode t : pr.path("tags")) if (t.path("tag").asText().equals("vm")) vmTags.add(t.path("value").asText());
            if (vmTags.size() > 1) {
                skipped.add("event " + id + ": several vm tags " + vmTags + ": left for an operator");
            } else if (vmTags.size() == 1 && !Names.isName(vmTags.iterator().next())) {
                skipped.add("event " + id + ": vm tag '" + printable(vmTags.iterator().next()) + "' is not a valid domain name");
            } else {
                vms.put(id, vmTags.isEmpty() ? null : vmTags.iterator().next());
            }
        }
        Map<String, String> hosts = hostsOf(api, vms);
        List<Event> events = new ArrayList<>();
        for (Map.Entry<String, String> e : vms.entrySet()) {
            String id = e.getKey();
            if (e.getValue() != null) {
                events.add(new Event(id, null, e.getValue()));
                continue;
            }
            String host = hosts.get(id);
            if (host == null) skipped.add("event " + id + ": no single host of its trigger");
            else if (!Names.isName(host)) skipped.add("event " + id + ": host '" + printable(host) + "' is not a valid host name");
            else events.add(new Event(id, host, null));
        }
        return new Result(events, skipped, own.why());
    }

    /** The trigger host of each event without a VM (one event.get); absent when it has none or several. */
    private static Map<String, String> hostsOf(ZabbixApi api, Map<String, String> vms) throws ZabbixApiException {
        List<String> ids = vms.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        Map<String, String> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        JsonNode events = api.call("event.get", Map.of("output", List.of("eventid"), "eventids", ids,
                "selectHosts", List.of("host")));
        for (JsonNode ev : events) {
            JsonNode hs = ev.path("hosts");
            if (hs.size() == 1) out.put(ev.path("eventid").asText(), hs.path(0).path("host").asText());
        }
        return out;
    }

    private static boolean handled(JsonNode problem, String vcrUser) {
        for (JsonNode a : problem.path("acknowledges")) {
            if (isVcrs(a, vcrUser)) return true;
        }
        return false;
    }

    /** Whether acknowledgement {@code a} is a vcr run's: a {@value #VCR_MESSAGE} message written by {@code vcrUser} (null: nobody). */
    static boolean isVcrs(JsonNode a, String vcrUser) {
        return vcrUser != null && vcrUser.equals(a.path("userid").asText(null))
                && a.path("message").asText().startsWith(VCR_MESSAGE);
    }

    /**
     * Whether the latest vcr message on the problem is a held run's ({@code vcr: SERVICE held: ...});
     * only {@code vcrUser}'s messages count ({@link #isVcrs}).
     */
    static boolean lastHeld(JsonNode problem, String vcrUser) {
        String last = null;
        long at = Long.MIN_VALUE;
        long id = Long.MIN_VALUE;
        for (JsonNode a : problem.path("acknowledges")) {
            String m = a.path("message").asText();
            long clock = a.path("clock").asLong(0);
            long ackId = a.path("acknowledgeid").asLong(0);
            if (isVcrs(a, vcrUser) && (last == null || clock > at || clock == at && ackId > id)) {
                last = m;
                at = clock;
                id = ackId;
            }
        }
        return last != null && HELD.matcher(last).lookingAt();
    }

    private static final java.util.regex.Pattern HELD = java.util.regex.Pattern.compile("vcr: [A-Za-z0-9][A-Za-z0-9_.-]* held: ");

    private static boolean recoveryTagged(JsonNode problem) {
        for (JsonNode t : problem.path("tags")) {
            if (t.path("tag").asText().equals("vcrecovery") && RECOVERY_TAGS.contains(t.path("value").asText())) return true;
        }
        return false;
    }

    /** {@code s} (null: empty) cut to 80 characters with every control or non-ASCII character as '?': safe in one error line. */
    static String printable(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
