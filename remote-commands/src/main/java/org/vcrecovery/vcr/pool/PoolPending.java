package org.vcrecovery.vcr.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Names;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.breaker.KillSwitch;
import org.vcrecovery.vcr.config.VcrConfig;
import org.vcrecovery.vcr.recover.ZabbixApiPort;
import org.vcrecovery.vcr.runbook.PoolRunbook;
import org.vcrecovery.vcr.runbook.PoolRunbookReader;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.zabbix.api.AckAction;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * {@code vcr pool grow|shrink --pending}: what the pool template's actions run on the agent (one
 * literal line; nothing comes from the command line). Asks the API for the open, unsuppressed,
 * unacknowledged problems of the pool triggers ({@code vcrecovery=pool-grow} or {@code pool-shrink},
 * as asked), takes the pool from each problem's {@code pool} tag, and changes each pool whose
 * runbook is on this host once (the newest event of a pool; the others of it are left), as an
 * automatic run: kill switch ({@code {$VCR.AUTO}} asked in the same pass) and min-interval apply.
 * Each event gets the run's line as a message (not an acknowledgement: while the load stays, the
 * action's next escalation step runs again, and min-interval spaces the changes).
 *
 * <p>Exit code: that of the first pool whose run ended other than 0 or 18; else 0. No Zabbix
 * API configured is USAGE; an unreachable or refusing API 3/4/5, before anything changed.
 */
final class PoolPending {
    static final String TAG = "vcrecovery";

    private PoolPending() {}

    static int run(VcrConfig cfg, String action, boolean json, PrintWriter out, PrintWriter err) {
        if (cfg.zabbix() == null) {
            throw new VcrException(ExitCode.USAGE, "--pending reads the pool problems from the Zabbix API, and vcr.yaml has no zabbix section");
        }
        RunbookCatalog catalog = new RunbookCatalog(cfg.runbookDir());
        try (ZabbixApi api = ZabbixApiPort.client(cfg.zabbix(), ZabbixApiPort.secret(cfg.zabbix()))) {
            JsonNode problems;
            String macro;
            try {
                problems = api.call("problem.get", query(action));
                macro = api.globalMacro(KillSwitch.MACRO);
            } catch (ZabbixApiException e) {
                throw failure(e);
            }
            Map<String, String> newest = new LinkedHashMap<>(); // pool -> its newest event
            for (JsonNode p : problems) {
                String pool = tag(p, "pool");
                if (pool == null || !Names.isName(pool)) {
                    err.println("vcr: skipped event " + p.path("eventid").asText() + ": no valid pool tag");
                    continue;
                }
                if (here(catalog, pool)) newest.put(pool, p.path("eventid").asText());
            }
            if (newest.isEmpty()) {
                out.println("no pending pool-" + action + " problem for the pools in " + catalog.dir() + " (" + problems.size()
                        + " open in Zabbix)");
                return ExitCode.OK.code();
            }
            int code = ExitCode.OK.code();
            for (var e : newest.entrySet()) {
                PoolRunbook pool = PoolRun.load(cfg, e.getKey());
                PoolReport report = PoolRun.run(cfg, pool, action, true, macro, err);
                out.println(json ? report.toJson() : "event " + e.getValue() + ": " + report.summary());
                try {
                    api.acknowledge(e.getValue(), Set.of(AckAction.MESSAGE), "vcr: " + cut(report.summary()));
                } catch (ZabbixApiException ex) {
                    err.println("vcr: event " + e.getValue() + ": message not added: " + ex.getMessage());
                }
                int c = report.code().code();
                if (code == 0 && c != 0 && c != ExitCode.POOL_LIMIT.code()) code = c;
            }
            return code;
        }
    }

    static Map<String, Object> query(String action) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("output", List.of("eventid"));
        p.put("source", 0);
        p.put("object", 0);
        p.put("acknowledged", false);
        p.put("suppressed", false);
        p.put("recent", false);
        p.put("tags", List.of(Map.of("tag", TAG, "value", "pool-" + action, "operator", 1)));
        p.put("selectTags", "extend");
        p.put("sortfield", List.of("eventid"));
        p.put("sortorder", "ASC");
        return p;
    }

    private static boolean here(RunbookCatalog catalog, String pool) {
        for (String ext : new String[] {".yaml", ".yml"}) {
            Path f = catalog.dir().resolve(pool + ext);
            try {
                if (Files.isRegularFile(f) && PoolRunbookReader.isPool(Files.readString(f))) return true;
            } catch (java.io.IOException ex) {
                return false;
            }
        }
        return false;
    }

    private static String tag(JsonNode problem, String name) {
        List<String> values = new ArrayList<>();
        for (JsonNode t : problem.path("tags")) if (t.path("tag").asText().equals(name)) values.add(t.path("value").asText());
        return values.size() == 1 ? values.get(0) : null;
    }

    private static String cut(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    private static VcrException failure(ZabbixApiException e) {
        String m = "asking Zabbix for the pool problems: " + e.getMessage() + "; nothing was changed";
        return switch (e.reason()) {
            case AUTH_FAILED -> new VcrException(ExitCode.AUTH, m, e);
            case TIMEOUT, UNREACHABLE, HTTP_STATUS -> new VcrException(ExitCode.UNREACHABLE, m, e);
            default -> new VcrException(ExitCode.REFUSED, m, e);
        };
    }
}
