package org.vcrecovery.vcr.rebalance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.runbook.Runbook;

/**
 * Decides what {@code vcr rebalance --from HOST} moves, touching nothing: which recovered
 * services run on HOST (their DNS record holds the address of a standby whose {@code zabbix-host}
 * is HOST), and for each the standby of the same runbook on another recovery VM that has room
 * (its CPU average below the limit, when measured) and is least loaded (lowest CPU, then fewest
 * services, then name). A standby the backend does not have, or whose address is unknown, is no
 * target ({@code unusable} says why). At most {@code max} services move per run, in service-name
 * order; each chosen move counts as one more service on its target for the next choice.
 *
 * <p>Refusals, each naming what is wrong: a HOST no runbook's standby names is USAGE; no service
 * (or not the one named with {@code --service}) running on HOST is NOT_ON_HOST; services there but
 * no target with room for any is NO_TARGET.
 */
final class Chooser {
    /** What was decided: the moves, or a refusal ({@code refusal} and {@code why}) with no moves. */
    record Choice(List<Move> moves, ExitCode refusal, String why) {
        Choice {
            moves = List.copyOf(moves);
        }

        static Choice refuse(ExitCode code, String why) {
            return new Choice(List.of(), Objects.requireNonNull(code), Objects.requireNonNull(why));
        }

        boolean refused() {
            return refusal != null;
        }
    }

    private final double maxLoad;
    private final int max;

    /**
     * @param maxLoad a target's CPU average must be below this (%), when measured
     * @param max     at most this many services move in one run (at least 1)
     */
    Chooser(double maxLoad, int max) {
        if (max < 1) throw new IllegalArgumentException("max < 1: " + max);
        if (!(maxLoad > 0 && maxLoad <= 100)) throw new IllegalArgumentException("maxLoad not in (0, 100]: " + maxLoad);
        this.maxLoad = maxLoad;
        this.max = max;
    }

    /**
     * @param from     the overloaded recovery VM (a Zabbix host name)
     * @param service  only this service (null: any)
     * @param unusable why a standby cannot be a target (null: it can)
     */
    Choice choose(String from, String service, List<Placement> placements, Loads loads,
                  Function<Runbook.Standby, String> unusable) {
        TreeSet<String> hosts = new TreeSet<>();
        for (Placement p : placements) {
            for (Runbook.Standby s : p.runbook().standbys()) if (s.zabbixHost() != null) hosts.add(s.zabbixHost());
        }
        if (!hosts.contains(from)) {
            return Choice.refuse(ExitCode.USAGE, "unknown recovery VM '" + from + "': no runbook has a standby with zabbix-host "
                    + from + (hosts.isEmpty() ? " (none names any)" : " (they name " + String.join(", ", hosts) + ")")
                    + "; nothing moved");
        }
        List<Placement> here = new ArrayList<>();
        Map<String, Integer> services = new HashMap<>();
        for (Placement p : placements) {
            if (p.host() != null) services.merge(p.host(), 1, Integer::sum);
            if (from.equals(p.host()) && (service == null || service.equals(p.service()))) here.add(p);
        }
        if (service != null && here.isEmpty()) {
            Optional<Placement> p = placements.stream().filter(x -> x.service().equals(service)).findFirst();
            if (p.isEmpty()) return Choice.refuse(ExitCode.USAGE, "no runbook for service '" + service + "'; nothing moved");
            return Choice.refuse(ExitCode.NOT_ON_HOST, "service " + service + " does not run on " + from + ": its record holds "
                    + where(p.get()) + "; nothing moved");
        }
        if (here.isEmpty()) {
            return Choice.refuse(ExitCode.NOT_ON_HOST, "no recovered service runs on " + from
                    + " (no runbook's record holds the address of a standby there); nothing moved");
        }
        here.sort(Comparator.comparing(Placement::service));
        List<Move> moves = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (Placement p : here) {
            Move m = target(p, loads, services, unusable, why);
            if (m == null) continue;
            moves.add(m);
            services.merge(m.to().zabbixHost(), 1, Integer::sum);
            services.merge(from, -1, Integer::sum);
            if (moves.size() == max) break;
        }
        if (moves.isEmpty()) {
            return Choice.refuse(ExitCode.NO_TARGET, "no other recovery VM with room for what runs on " + from + ": "
                    + String.join("; ", why) + "; nothing moved");
        }
        return new Choice(moves, null, null);
    }

    private Move target(Placement p, Loads loads, Map<String, Integer> services, Function<Runbook.Standby, String> unusable,
                        List<String> why) {
        Runbook.Standby best = null;
        double bestLoad = 0;
        List<String> no = new ArrayList<>();
        for (Runbook.Standby s : p.runbook().standbys()) {
            String host = s.zabbixHost();
            if (host == null || host.equals(p.host()) || s == p.serving()) continue;
            String bad = unusable.apply(s);
            if (bad == null && loads.measured()) {
                var cpu = loads.of(host);
                if (cpu.isEmpty()) bad = "no recent CPU value";
                else if (cpu.getAsDouble() >= maxLoad) bad = loads.describe(host) + ", not below " + fmt(maxLoad) + " %";
            }
            if (bad != null) {
                no.add(s.name() + " on " + host + ": " + bad);
                continue;
            }
            double load = loads.measured() ? loads.of(host).getAsDouble() : 0;
            if (best == null || better(s, load, best, bestLoad, services)) {
                best = s;
                bestLoad = load;
            }
        }
        if (best == null) {
            why.add(p.service() + " (" + (no.isEmpty() ? "no standby on another recovery VM" : String.join(", ", no)) + ")");
            return null;
        }
        int n = services.getOrDefault(best.zabbixHost(), 0);
        return new Move(p.runbook(), p.serving(), best, loads.describe(best.zabbixHost()) + ", " + n + " service" + (n == 1 ? "" : "s"));
    }

    private static boolean better(Runbook.Standby s, double load, Runbook.Standby best, double bestLoad, Map<String, Integer> services) {
        if (load != bestLoad) return load < bestLoad;
        int a = services.getOrDefault(s.zabbixHost(), 0);
        int b = services.getOrDefault(best.zabbixHost(), 0);
        if (a != b) return a < b;
        return s.zabbixHost().compareTo(best.zabbixHost()) < 0;
    }

    private static String where(Placement p) {
        if (p.serving() != null) return "standby " + p.serving().name() + " on " + p.host();
        if (p.dns().size() == 1 && Placement.same(p.dns().get(0), p.runbook().primary().address())) {
            return "the primary's " + p.dns().get(0) + " (not recovered)";
        }
        return p.dns().isEmpty() ? "nothing" : String.join(", ", p.dns()) + " (no standby of its runbook)";
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
