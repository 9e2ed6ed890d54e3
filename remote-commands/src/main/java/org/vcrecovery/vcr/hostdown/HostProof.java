package org.vcrecovery.vcr.hostdown;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.check.CheckResult;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.check.ServiceChecker;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The KVM host is the fencing unit: it is proven dead once, in one pass over all its VMs,
 * before any DNS moves. Two questions, asked in parallel: the host's libvirt (one connection per
 * URI the runbooks name, one listing of its domains) and every VM's service ports (one plain TCP
 * connect per check port, all at once).
 *
 * <p>Per VM: its service answers → {@link Kind#ALIVE} (left alone: not recovered); silent, and
 * its domain not running, or the host's libvirt not answering at all → {@link Kind#DEAD} (this
 * proof stands for its confirm and fence); silent while libvirt says its domain runs →
 * {@link Kind#UNPROVEN} (its recovery confirms and fences it itself, destroying the domain).
 * "libvirt does not answer and nothing on the host answers" is the host-level verify-dead: with no
 * power fencing (IPMI) it is the best proof reachable from the standby's side; a partitioned but
 * running host is the residual risk (README, "Host down").
 */
final class HostProof {
    enum Kind { DEAD, ALIVE, UNPROVEN }

    /** The decision for one VM, with the reason said in its report. */
    record Vm(Kind kind, String detail) {}

    /** The whole proof: per service, and one line for the host's summary. */
    record Result(Map<String, Vm> vms, String summary, long millis) {
        long count(Kind k) {
            return vms.values().stream().filter(v -> v.kind() == k).count();
        }
    }

    private HostProof() {}

    static Result prove(String kvmHost, List<Runbook> runbooks, StandbyBackends backends, ServiceChecker checker,
                        ExecutorService executor, Duration timeout) {
        long t0 = System.nanoTime();
        Map<String, CompletableFuture<Map<String, StandbyState>>> libvirt = new LinkedHashMap<>();
        for (Runbook rb : runbooks) {
            Runbook.Primary p = rb.primary();
            if (p.domain() == null) continue;
            libvirt.computeIfAbsent(p.backend() + " " + p.uri(), k -> CompletableFuture.supplyAsync(() -> {
                try (StandbyBackend b = backends.create(p.backend(), Map.of("uri", p.uri()))) {
                    Map<String, StandbyState> states = new HashMap<>();
                    for (StandbyInfo i : b.list()) states.put(i.name(), i.state());
                    return states;
                }
            }, executor));
        }
        Map<String, CompletableFuture<String>> answers = new LinkedHashMap<>();
        for (Runbook rb : runbooks) {
            answers.put(rb.service(), CompletableFuture.supplyAsync(() -> answering(checker, rb), executor));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> libvirtDown = new HashMap<>();
        Map<String, Map<String, StandbyState>> states = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<Map<String, StandbyState>>> e : libvirt.entrySet()) {
            try {
                states.put(e.getKey(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (Exception x) {
                e.getValue().cancel(true);
                Throwable c = x.getCause() != null ? x.getCause() : x;
                libvirtDown.put(e.getKey(), c.getMessage() == null ? c.toString() : c.getMessage());
            }
        }
        Map<String, Vm> out = new LinkedHashMap<>();
        for (Runbook rb : runbooks) {
            String answer;
            try {
                answer = answers.get(rb.service()).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception x) {
                answers.get(rb.service()).cancel(true);
                answer = "its ports could not be checked in time";
            }
            out.put(rb.service(), decide(kvmHost, rb, answer, states, libvirtDown));
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String libvirtSaid = libvirt.isEmpty() ? "no libvirt domain to ask"
                : libvirtDown.isEmpty() ? "its libvirt answers" : libvirtDown.size() == libvirt.size() ? "its libvirt does not answer"
                : "its libvirt answers on " + (libvirt.size() - libvirtDown.size()) + " of " + libvirt.size() + " URIs";
        Result r = new Result(out, "", millis);
        String summary = "KVM host " + kvmHost + ": " + libvirtSaid + "; " + r.count(Kind.DEAD) + " of " + runbooks.size()
                + " VMs proven dead in one pass (" + millis + " ms)"
                + (r.count(Kind.ALIVE) == 0 ? "" : ", " + r.count(Kind.ALIVE) + " answering (left alone)")
                + (r.count(Kind.UNPROVEN) == 0 ? "" : ", " + r.count(Kind.UNPROVEN) + " still running (each fenced by its own run)");
        return new Result(out, summary, millis);
    }

    private static Vm decide(String kvmHost, Runbook rb, String answer, Map<String, Map<String, StandbyState>> states,
                             Map<String, String> libvirtDown) {
        if (answer != null) return new Vm(Kind.ALIVE, "its service answers (" + answer + ")");
        Runbook.Primary p = rb.primary();
        String ports = "ports silent";
        if (p.domain() == null) return new Vm(Kind.DEAD, "KVM host " + kvmHost + " proven dead once: " + ports + ", no domain to ask");
        String key = p.backend() + " " + p.uri();
        if (libvirtDown.containsKey(key)) {
            return new Vm(Kind.DEAD, "KVM host " + kvmHost + " proven dead once: its libvirt does not answer ("
                    + oneLine(libvirtDown.get(key)) + "), " + ports);
        }
        StandbyState s = states.get(key).getOrDefault(p.domain(), StandbyState.ABSENT);
        if (s == StandbyState.RUNNING || s == StandbyState.UNKNOWN) {
            return new Vm(Kind.UNPROVEN, "domain " + p.domain() + " is " + s.name().toLowerCase(Locale.ROOT) + " but " + ports);
        }
        return new Vm(Kind.DEAD, "KVM host " + kvmHost + " proven dead once: domain " + p.domain() + " is "
                + s.name().toLowerCase(Locale.ROOT) + ", " + ports);
    }

    /** The first check port of {@code rb}'s primary that accepts a connection (as "addr:port"), or null when all are silent. */
    private static String answering(ServiceChecker checker, Runbook rb) {
        List<String> silent = new ArrayList<>();
        for (Runbook.Check c : rb.checks()) {
            InetSocketAddress a = socket(rb.primary().address(), c.port());
            CheckResult r = checker.check(a, Protocol.TCP, c.timeout());
            if (r.up()) return ServiceChecker.endpoint(a) + " accepts connections";
            silent.add(r.endpoint());
        }
        return null;
    }

    private static InetSocketAddress socket(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }
}
