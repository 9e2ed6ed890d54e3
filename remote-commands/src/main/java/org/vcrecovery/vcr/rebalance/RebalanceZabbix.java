package org.vcrecovery.vcr.rebalance;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What a rebalance asks Zabbix: the recovery VMs' CPU averages, whether the VM to unload has an
 * open CPU-high problem (what {@code --pending} acts on), the kill switch's macro, and the ack of
 * that problem. Implemented over the API by {@link ZabbixRebalancePort}; tests fake it.
 */
interface RebalanceZabbix extends AutoCloseable {
    /** The item whose last value is a recovery VM's moving average of CPU, in %. */
    String CPU_AVG = "vcr.cpu.avg";
    /** The tag value of the template's CPU-high trigger ({@code vcrecovery=rebalance}). */
    String TAG = "rebalance";

    /** {@link #CPU_AVG}'s last value per host of {@code hosts}, for those that have a recent one. */
    Map<String, Double> cpu(Collection<String> hosts) throws IOException;

    /** The oldest open, unacknowledged, unsuppressed {@link #TAG} problem of {@code host}: its event id, or empty. */
    Optional<String> openProblem(String host) throws IOException;

    /** A global macro's value, or null when it is not defined. */
    String globalMacro(String name) throws IOException;

    /** Adds {@code message} to the event (without acknowledging it: an operator's acknowledgement stops further moves). */
    void acknowledge(String eventId, String message) throws IOException;

    @Override
    void close();
}
