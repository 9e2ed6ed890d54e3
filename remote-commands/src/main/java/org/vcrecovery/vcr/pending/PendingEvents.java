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

    /** The pending events in event-id order, and the problems left out with why. */
    public record Result(List<Event> events, List<String> skipped) {
        public Result {
            events = List.copyOf(events);
            skipped = List.copyOf(skipped);
        }
    }

    private PendingEvents() {}

    /** Asks {@code api}; one {@code problem.get}, and one {@code event.get} when a problem has no vm tag. */
    public static Result find(ZabbixApi api) throws ZabbixApiException {
        return read(api, api.call("problem.get", query()), false);
    }

    /**
     * The problems a vcr run held and nothing has handled since: open, unacknowledged, unsuppressed
     * vcrecovery problems whose latest vcr message says {@code held:} (the circuit breaker or the kill
     * switch, exit 15). What {@code vcr approve --held} approves and runs; asked as {@link #find(ZabbixApi)}.
     */
    public static Result findHeld(ZabbixApi api) throws ZabbixApiException {
        return read(api, api.call("problem.get", query()), true);
    }

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
        p.put("selectAcknowledges", List.of("acknowledgeid", "clock", "message"));
        p.put("sortfield", List.of("eventid"));
        p.put("sortorder", "ASC");
        return p;
    }

    /** The pending events in {@code problems}, {@link #query}'s answer; one {@code event.get} when a problem has no vm tag. */
    static Result read(ZabbixApi api, JsonNode problems) throws ZabbixApiException {
        return read(api, problems, false);
    }

    /** As {@link #read(ZabbixApi, JsonNode)}; {@code held}: only the problems whose latest vcr message is a hold. */
    private static Result read(ZabbixApi api, JsonNode problems, boolean held) throws ZabbixApiException {
        List<String> skipped = new ArrayList<>();
        Map<String, String> vms = new LinkedHashMap<>();
        for (JsonNode pr : problems) {
            String id = pr.path("eventid").asText();
            if (!id.matches("[0-9]{1,20}") || (held ? !lastHeld(pr) : handled(pr))) continue;
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
        return new Result(events, skipped);
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

    private static boolean handled(JsonNode problem) {
        for (JsonNode a : problem.path("acknowledges")) {
            if (a.path("message").asText().startsWith(VCR_MESSAGE)) return true;
        }
        return false;
    }

    /** Whether the latest vcr message on the problem is a held run's ({@code vcr: SERVICE held: ...}). */
    static boolean lastHeld(JsonNode problem) {
        String last = null;
        long at = Long.MIN_VALUE;
        long id = Long.MIN_VALUE;
        for (JsonNode a : problem.path("acknowledges")) {
            String m = a.path("message").asText();
            long clock = a.path("clock").asLong(0);
            long ackId = a.path("acknowledgeid").asLong(0);
            if (m.startsWith(VCR_MESSAGE) && (last == null || clock > at || clock == at && ackId > id)) {
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
