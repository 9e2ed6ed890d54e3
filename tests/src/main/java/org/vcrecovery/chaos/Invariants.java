package org.vcrecovery.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The invariants every chaos run must keep, judged from what it {@link Observed}. Each violation
 * is one line starting with the invariant's name:
 * <ul>
 * <li>{@code checked}: DNS never points at an address whose service failed its check at switch
 *     time: every switch in a vcr report follows a passing check of that address, and every
 *     answer the watcher saw is the primary or a standby that either answered it or was checked
 *     by the run that switched;</li>
 * <li>{@code fenced}: DNS never moves without fencing proof (a fence step that succeeded before
 *     the switch, unless the runbook says {@code allow-unfenced}); the watcher never saw DNS off
 *     the primary while libvirt ran it; a false alarm moves nothing;</li>
 * <li>{@code once}: exactly one recovery per failure: one move of the name (none for a false
 *     alarm), at most one switch in the reports and in the acknowledgements;</li>
 * <li>{@code converges}: after the faults are undone and a rerun: DNS on the standby, which
 *     answers, the lock free, the event acknowledged with the steps, the rerun exit 0 or 10
 *     (already recovered); for a false alarm: DNS on the running primary;</li>
 * <li>{@code delivered}: every VM state change the listener acknowledged (logged and spooled)
 *     reaches Zabbix's history with its own timestamp.</li>
 * </ul>
 */
final class Invariants {
    /** How far a stored value's clock may be from the listener's log line of its event. */
    static final Duration NEAR = Duration.ofMillis(1000);

    private Invariants() {}

    static List<String> check(Observed o, String primary, String standby) {
        List<String> v = new ArrayList<>();
        boolean real = o.entry().fault().realFailure();
        List<JsonNode> switches = new ArrayList<>();
        for (JsonNode line : o.audit()) step(line, "dns").filter(d -> ok(d) && d.path("detail").asText().startsWith("switched "))
                .ifPresent(d -> switches.add(line));
        // checked
        List<String> checkedTargets = new ArrayList<>();
        for (JsonNode line : switches) {
            JsonNode dns = step(line, "dns").orElseThrow();
            String to = target(dns.path("detail").asText());
            Optional<JsonNode> check = passingCheck(line, to);
            if (check.isEmpty() || started(check.get()).isAfter(started(dns))) {
                v.add("checked: event " + line.path("event_id").asText() + " switched DNS to " + to + " without a passing check of it first");
            } else {
                checkedTargets.add(to);
            }
        }
        for (Observed.Seen s : o.seen()) {
            for (String a : s.answer()) {
                if (!a.equals(primary) && !a.equals(standby)) v.add("checked: DNS answered " + a + ", neither the primary nor a standby");
            }
            if (s.answer().equals(List.of(standby)) && !s.up() && !checkedTargets.contains(standby)) {
                v.add("checked: DNS moved to " + standby + ", which did not answer, and no vcr report shows a passing check of it");
            }
        }
        // fenced
        if (!o.runbookUnfenced()) {
            for (JsonNode line : switches) {
                JsonNode dns = step(line, "dns").orElseThrow();
                Optional<JsonNode> fence = step(line, "fence").filter(Invariants::ok);
                if (fence.isEmpty() || ended(fence.get()).isAfter(started(dns).plusMillis(1))) {
                    v.add("fenced: event " + line.path("event_id").asText() + " switched DNS without a fence that succeeded first");
                }
            }
        }
        for (Observed.Seen s : o.seen()) {
            if (!s.answer().equals(List.of(primary)) && Boolean.TRUE.equals(s.primaryActive())) {
                v.add("fenced: DNS answered " + s.answer() + " while libvirt ran the primary");
            }
        }
        if (!real && !switches.isEmpty()) v.add("fenced: a false alarm switched DNS (the primary ran and served)");
        // once
        List<String> last = o.seen().isEmpty() ? List.of(primary) : o.seen().get(o.seen().size() - 1).answer();
        int moves = o.seen().size() + (o.finalDns().isEmpty() || o.finalDns().equals(last) ? 0 : 1);
        int want = real ? 1 : 0;
        if (moves != want) v.add("once: the name moved " + moves + " times (expected " + want + "): " + trail(o));
        if (switches.size() > 1) v.add("once: " + switches.size() + " vcr reports switched DNS for one failure");
        long ackedSwitches = o.ackMessages().stream().filter(m -> m.contains("\ndns ok") && m.contains(": switched ")).count();
        if (ackedSwitches > 1) v.add("once: the event has " + ackedSwitches + " acknowledgements of a switch");
        // converges
        if (real) {
            if (!o.finalDns().equals(List.of(standby))) v.add("converges: DNS answers " + o.finalDns() + " at the end, not the standby " + standby);
            else if (!o.standbyUp()) v.add("converges: the standby " + standby + " does not answer at the end");
            if (o.eventId() == null) v.add("converges: no problem event in Zabbix for the failure");
            else if (!o.acknowledged() || o.ackMessages().stream().noneMatch(m -> m.contains("\ndns ok"))) {
                v.add("converges: event " + o.eventId() + " is not acknowledged with a DNS switch (" + o.ackMessages().size() + " message(s))");
            }
            if (o.rerunExit() != null && o.rerunExit() != 0 && o.rerunExit() != 10) {
                v.add("converges: the rerun ended " + o.rerunExit() + ": " + firstLine(o.rerunOut()));
            }
        } else {
            if (!o.finalDns().equals(List.of(primary))) v.add("converges: after a false alarm DNS answers " + o.finalDns() + ", not the primary");
            if (!o.primaryUp()) v.add("converges: after a false alarm the primary does not run and serve");
        }
        if (!o.lockFree()) v.add("converges: the service's lock is still held at the end");
        // delivered
        for (Instant t : o.stoppedLogged()) {
            boolean racedKill = o.listenerKilled() != null && !t.isBefore(o.listenerKilled().minusMillis(100))
                    && !t.isAfter(o.listenerKilled());
            if (!racedKill && !storedNear(o.stateValues(), t)) {
                v.add("delivered: the listener logged the primary STOPPED at " + t + " but Zabbix has no value 5 stamped near it");
            }
        }
        return v;
    }

    /** True when {@code values} hold a 5 (shut off) stamped within {@link #NEAR} of {@code t}. */
    static boolean storedNear(List<Observed.Value> values, Instant t) {
        return values.stream().anyMatch(x -> x.value().equals("5") && Duration.between(x.clock(), t).abs().compareTo(NEAR) <= 0);
    }

    private static Optional<JsonNode> step(JsonNode line, String name) {
        for (JsonNode s : line.path("steps")) if (s.path("name").asText().equals(name)) return Optional.of(s);
        return Optional.empty();
    }

    private static Optional<JsonNode> passingCheck(JsonNode line, String address) {
        for (JsonNode s : line.path("steps")) {
            if (s.path("name").asText().equals("check") && ok(s) && s.path("detail").asText().contains(" " + address + ":")) return Optional.of(s);
        }
        return Optional.empty();
    }

    private static boolean ok(JsonNode step) {
        return step.path("outcome").asText().equals("ok");
    }

    private static Instant started(JsonNode step) {
        return Instant.parse(step.path("started").asText());
    }

    private static Instant ended(JsonNode step) {
        return started(step).plusMillis(step.path("millis").asLong());
    }

    /** The address after "-> " in "switched NAME A OLD -> NEW, verified". */
    static String target(String detail) {
        int i = detail.lastIndexOf("-> ");
        if (i < 0) return "";
        String rest = detail.substring(i + 3);
        int c = rest.indexOf(',');
        return (c < 0 ? rest : rest.substring(0, c)).trim();
    }

    static String trail(Observed o) {
        StringBuilder b = new StringBuilder("watcher saw");
        for (Observed.Seen s : o.seen()) {
            b.append(' ').append(s.answer()).append(" at +").append(Duration.between(o.t0(), s.at()).toMillis()).append(" ms")
                    .append(s.up() ? " (answering)" : " (NOT answering)");
        }
        return b.append(", at the end ").append(o.finalDns()).toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String t = s.strip();
        int n = t.indexOf('\n');
        return n < 0 ? t : t.substring(0, n);
    }
}
