package org.vcrecovery.zabbix.api;

import static org.vcrecovery.zabbix.api.ApiSession.FEW;
import static org.vcrecovery.zabbix.api.ApiSession.MANY;
import static org.vcrecovery.zabbix.api.ApiSession.TINY;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.vcrecovery.zabbix.api.ZabbixApiException.Reason;

/**
 * Maintenances ({@code maintenance.*}) and the question a recovery asks: is this host, or this
 * event, in maintenance now? Its questions go out at the same time, one round trip in all.
 */
final class Maintenances {
    private static final List<String> FIELDS = List.of("maintenanceid", "name", "active_since", "active_till",
            "maintenance_type");
    private static final List<String> PERIOD_FIELDS = List.of("timeperiod_type", "start_date", "period");

    private final ApiSession api;
    private final Hosts hosts;
    private final Events events;

    Maintenances(ApiSession api, Hosts hosts, Events events) {
        this.api = api;
        this.hosts = hosts;
        this.events = events;
    }

    /**
     * Host-based: the server's flag on the host, or a one-time period of a maintenance covering the
     * host (or one of its groups) covers now (a new maintenance the server has not noticed yet).
     */
    boolean inMaintenance(String hostName) throws ZabbixApiException {
        FutureTask<JsonNode> all = start("zabbix-maintenance", () -> api.call("maintenance.get", query(), FEW));
        try {
            Host host = host(hostName);
            return host.maintenanceFlagCurrent() || newMaintenanceCovers(host, all.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ZabbixApiException.of(Reason.INTERRUPTED, "maintenance.get", "interrupted", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        } finally {
            all.cancel(true);
        }
    }

    /**
     * Event-based: a suppressed event is in maintenance (what Zabbix decided for it). Otherwise,
     * for an event of this host, only a one-time period of a maintenance covering the host that
     * covers now counts (one created less than a minute ago, before the server suppressed
     * anything): the host's flag is not used, since after a maintenance ends or is deleted the
     * server keeps it up to a minute while new problems are no longer suppressed. An event of
     * another host (a KVM host's trigger about this VM) or no such event: as {@link #inMaintenance(String)}.
     */
    boolean inMaintenance(String hostName, String eventId) throws ZabbixApiException {
        FutureTask<JsonNode> all = start("zabbix-maintenance", () -> api.call("maintenance.get", query(), FEW));
        FutureTask<Host> host = start("zabbix-host", () -> host(hostName));
        try {
            Optional<Event> event = events.event(eventId);
            if (event.isPresent() && event.get().suppressed()) return true;
            return decide(event, host.get(), all.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ZabbixApiException.of(Reason.INTERRUPTED, "maintenance.get", "interrupted", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        } finally {
            all.cancel(true);
            host.cancel(true);
        }
    }

    /**
     * The decision of {@link #inMaintenance(String, String)} ({@code event} null: of
     * {@link #inMaintenance(String)}) from the answers: the event ({@code event.get}, empty when it
     * does not exist), the host and every maintenance ({@link #query}).
     */
    static boolean decide(Optional<Event> event, Host h, JsonNode allMaintenances) {
        if (event != null && event.isPresent() && event.get().suppressed()) return true;
        boolean ofThisHost = event != null && event.isPresent() && event.get().hostIds().contains(h.hostId());
        return !ofThisHost && h.maintenanceFlagCurrent() || newMaintenanceCovers(h, allMaintenances);
    }

    private Host host(String hostName) throws ZabbixApiException {
        return hosts.byName(hostName).orElseThrow(() -> ZabbixApiException.of(Reason.NOT_FOUND, "host.get",
                "no Zabbix host named \"" + hostName + "\"", null));
    }

    private static boolean newMaintenanceCovers(Host host, JsonNode answer) {
        Instant now = Instant.now();
        for (Maintenance m : covering(host, Json.list(answer, Maintenance::from))) {
            if (m.oneTimePeriodCovers(now)) return true;
        }
        return false;
    }

    // Only the fields the decision reads: this answer lists every maintenance of the server.
    Map<String, Object> query() throws ZabbixApiException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("output", FIELDS);
        p.put("selectHosts", List.of("hostid"));
        p.put(api.version().hostGroupsParameter(), List.of("groupid"));
        p.put("selectTimeperiods", PERIOD_FIELDS);
        return p;
    }

    private static List<Maintenance> covering(Host host, List<Maintenance> all) {
        List<String> groupIds = host.groups().stream().map(HostGroup::groupId).toList();
        List<Maintenance> out = new ArrayList<>();
        for (Maintenance m : all) {
            if (m.hostIds().contains(host.hostId()) || m.groupIds().stream().anyMatch(groupIds::contains)) out.add(m);
        }
        return out;
    }

    List<Maintenance> of(Host host) throws ZabbixApiException {
        Map<String, Object> p = query();
        List<String> groupIds = host.groups().stream().map(HostGroup::groupId).toList();
        if (groupIds.isEmpty()) p.put("hostids", List.of(host.hostId()));
        else p.put("groupids", groupIds);
        return covering(host, Json.list(api.call("maintenance.get", p, MANY), Maintenance::from));
    }

    String create(String name, List<String> hostIds, Instant start, Duration length) throws ZabbixApiException {
        long from = start.getEpochSecond();
        long seconds = Math.max(300, length.toSeconds());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("active_since", from);
        p.put("active_till", from + seconds);
        p.put("maintenance_type", 0);
        p.put("hosts", Json.idObjects("hostid", hostIds));
        p.put("timeperiods", List.of(Map.of("timeperiod_type", 0, "start_date", from, "period", seconds)));
        return Json.firstId(api.call("maintenance.create", p, TINY), "maintenanceids");
    }

    void delete(List<String> maintenanceIds) throws ZabbixApiException {
        if (!maintenanceIds.isEmpty()) api.call("maintenance.delete", maintenanceIds, MANY);
    }

    /** Runs {@code call} on a daemon thread now: the caller asks its own question meanwhile. */
    private static <T> FutureTask<T> start(String name, Callable<T> call) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static ZabbixApiException unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof ZabbixApiException z) return z;
        if (c instanceof RuntimeException r) throw r;
        if (c instanceof Error r) throw r;
        throw new IllegalStateException(c);
    }
}
