package org.vcrecovery.vcr.pool;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * After a grow or shrink, tells the pool's Zabbix host (template "vcrecovery pool": the runbook's
 * {@code zabbix-host}, else the pool's name) what happened, when vcr.yaml sets {@code zabbix.trapper}:
 * {@code vcr.pool.report} (the summary line) always, and after a change {@code vcr.pool.changed}
 * (now, unix time: the triggers wait the minimum interval after it) and {@code vcr.pool.active}.
 * Best effort, one connection bounded by {@link #TIMEOUT}: a refusal is one line on stderr, never
 * a different exit code.
 */
final class PoolToZabbix {
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private PoolToZabbix() {}

    /** Null when sent (or nothing to send), else why not. */
    static String send(VcrConfig cfg, PoolRunbook pool, PoolReport report) {
        if (cfg.zabbix() == null || cfg.zabbix().trapper() == null) return null;
        String host = pool.zabbixHost() != null ? pool.zabbixHost() : pool.service();
        List<SenderValue> values = new ArrayList<>();
        String line = report.summary();
        values.add(new SenderValue(host, "vcr.pool.report", line.length() > 60000 ? line.substring(0, 60000) : line));
        if (report.code() == ExitCode.OK) {
            values.add(new SenderValue(host, "vcr.pool.changed", Long.toString(System.currentTimeMillis() / 1000)));
            values.add(new SenderValue(host, "vcr.pool.active", Integer.toString(activeMembers(pool, report.after()))));
        }
        try {
            var t = cfg.zabbix().trapper();
            var r = ZabbixSender.builder().server(InetSocketAddress.createUnresolved(t.host(), t.port()))
                    .connectTimeout(TIMEOUT).readTimeout(TIMEOUT).build().send(values);
            return r.processed() == values.size() ? null : "Zabbix accepted " + r.processed() + " of " + values.size()
                    + " values (" + r.info() + "): does host " + host + " have the template vcrecovery pool?";
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    static int activeMembers(PoolRunbook pool, List<String> rrset) {
        int n = 0;
        for (String a : rrset) if (pool.byAddress(a).isPresent()) n++;
        return n;
    }
}
