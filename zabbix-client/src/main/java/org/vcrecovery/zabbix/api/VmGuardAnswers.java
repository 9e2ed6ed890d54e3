package org.vcrecovery.zabbix.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a host-down run asks about the VMs of a dead KVM host ({@link ZabbixApi#vmGuard}), from one
 * request: whether each VM's Zabbix host is in maintenance, and the open vm-down problems of each
 * VM. Each of the two answers fails on its own; what cannot be told is said as unknown, never
 * guessed.
 */
public final class VmGuardAnswers {
    private final Map<String, Boolean> inMaintenance;
    private final ZabbixApiException maintenanceFailure;
    private final Map<String, List<String>> vmDownEvents;
    private final ZabbixApiException eventsFailure;

    VmGuardAnswers(Map<String, Boolean> inMaintenance, ZabbixApiException maintenanceFailure,
                   Map<String, List<String>> vmDownEvents, ZabbixApiException eventsFailure) {
        this.inMaintenance = inMaintenance == null ? null : Map.copyOf(inMaintenance);
        this.maintenanceFailure = maintenanceFailure;
        this.vmDownEvents = vmDownEvents == null ? null : Map.copyOf(vmDownEvents);
        this.eventsFailure = eventsFailure;
    }

    /**
     * Whether the Zabbix host {@code host} is in maintenance now (decided as
     * {@link ZabbixApi#inMaintenance(String)} decides for a run without an event); empty when there
     * is no such host. Throws the question's failure.
     */
    public Optional<Boolean> inMaintenance(String host) throws ZabbixApiException {
        if (maintenanceFailure != null) throw maintenanceFailure;
        return Optional.ofNullable(inMaintenance.get(host));
    }

    /**
     * The ids of the open problems tagged {@code vcrecovery=vm-down} whose {@code vm} tag is
     * {@code vm}, in event-id order (empty: none). Throws the question's failure.
     */
    public List<String> vmDownEvents(String vm) throws ZabbixApiException {
        if (eventsFailure != null) throw eventsFailure;
        return vmDownEvents.getOrDefault(vm, List.of());
    }
}
