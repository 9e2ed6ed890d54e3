package org.vcrecovery.vcr.rebalance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.recover.DnsPort;
import org.vcrecovery.vcr.runbook.Runbook;

/** Reads where every service with a standby on a recovery VM runs: its record, at its DNS server, all at once. */
final class Placements {
    private Placements() {}

    /** The placements of {@code runbooks} that name a recovery VM (a standby's zabbix-host); UNREACHABLE if a DNS server does not answer. */
    static List<Placement> read(List<Runbook> runbooks, Function<Runbook, DnsPort> dns) {
        List<Runbook> named = runbooks.stream().filter(rb -> rb.standbys().stream().anyMatch(s -> s.zabbixHost() != null)).toList();
        if (named.isEmpty()) return List.of();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, named.size()), r -> {
            Thread t = new Thread(r, "vcr-dns-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<String>>> reads = new ArrayList<>();
            for (Runbook rb : named) reads.add(pool.submit(() -> dns.apply(rb).current()));
            List<Placement> out = new ArrayList<>();
            for (int i = 0; i < named.size(); i++) {
                Runbook rb = named.get(i);
                try {
                    out.add(Placement.of(rb, reads.get(i).get()));
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof VcrException v) throw v;
                    Runbook.Dns d = rb.dns();
                    throw new VcrException(ExitCode.UNREACHABLE, "reading " + d.fqdn() + " " + d.type() + " of " + rb.service()
                            + " at " + d.server() + ":" + d.port() + ": " + (c instanceof IOException ? c.getMessage() : c)
                            + "; nothing was changed");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VcrException(ExitCode.FAILED, "interrupted while reading DNS; nothing was changed");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The plan's picture of the recovery VMs: each with its load and the services it serves. */
    static List<String> describe(String from, List<Placement> placements, Loads loads) {
        Map<String, List<String>> byHost = new TreeMap<>();
        for (Placement p : placements) {
            for (Runbook.Standby s : p.runbook().standbys()) if (s.zabbixHost() != null) byHost.computeIfAbsent(s.zabbixHost(), h -> new ArrayList<>());
            if (p.host() != null) byHost.get(p.host()).add(p.service());
        }
        List<String> out = new ArrayList<>();
        out.add("Recovery VMs (" + (loads.measured() ? RebalanceZabbix.CPU_AVG + " from Zabbix" : "no Zabbix: load by services served") + "):");
        byHost.forEach((h, svc) -> out.add("  " + h + (h.equals(from) ? " (to unload)" : "") + ": " + loads.describe(h) + ", serving "
                + (svc.isEmpty() ? "nothing" : String.join(", ", svc))));
        return out;
    }
}
