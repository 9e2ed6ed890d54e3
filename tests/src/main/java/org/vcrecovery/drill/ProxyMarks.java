package org.vcrecovery.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proxy's own moments in one failover with {@code --via-proxy}, read from its log (see
 * {@link ProxyLog}); each may be null when the log did not show it.
 *
 * @param run        1-based run number
 * @param valueSent  the proxy's data sender finished sending the batch that carried the state value to the server
 * @param taskGot    the server's reply to a data send carried the action's remote command (the event id is in it)
 * @param taskRan    the proxy's task manager started the command on the agent (it wakes every 5 s: hard-coded in Zabbix)
 */
public record ProxyMarks(int run, Instant valueSent, Instant taskGot, Instant taskRan) {
    /** The legs the proxy adds, named and in order, in ms; a leg whose ends are missing is absent. */
    public Map<String, Long> legs(RunResult r) {
        Map<String, Long> out = new LinkedHashMap<>();
        put(out, "listener saw -> proxy sent the value", r.marks().get(Mark.LISTENER_SAW), valueSent);
        put(out, "proxy sent the value -> problem in Zabbix", valueSent, r.marks().get(Mark.PROBLEM));
        put(out, "problem in Zabbix -> proxy got the command", r.marks().get(Mark.PROBLEM), taskGot);
        put(out, "proxy got the command -> its task manager ran it", taskGot, taskRan);
        put(out, "task manager ran it -> action ran vcr", taskRan, r.marks().get(Mark.COMMAND_RAN));
        return out;
    }

    private static void put(Map<String, Long> out, String name, Instant from, Instant to) {
        if (from != null && to != null) out.put(name, Duration.between(from, to).toMillis());
    }
}
