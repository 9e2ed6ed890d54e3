package org.vcrecovery.vcr.zabbix.templates;

import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.field;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.m;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.tags;
import static org.vcrecovery.vcr.zabbix.templates.TemplateDsl.widget;

import java.util.List;
import java.util.Map;

/**
 * The template "vcrecovery pool" (source of {@code zabbix-templates/vcrecovery_pool.yaml}): one
 * Zabbix host per hot-standby pool, named like the pool's runbook (or its {@code zabbix-host}).
 *
 * <p>One trapper item takes the active members' loads, a JSON object {@code {"p1": 72.5, ...}} in %
 * of one member's capacity, each sample; dependent items split it: one per member (discovered from
 * the same values) and their mean ({@code vcr.pool.load}). The calculated item
 * {@code avg(//vcr.pool.load,{$VCR.POOL.WINDOW})} is the seed's 30 s moving average over the
 * members. The grow trigger fires above {@code {$VCR.POOL.UPPER}} and the shrink trigger below
 * {@code {$VCR.POOL.LOWER}}, each closing {@code {$VCR.POOL.HYSTERESIS}} points back (no flapping on
 * a threshold), and neither fires within {@code {$VCR.POOL.MIN.INTERVAL}} of the pool's last change
 * ({@code vcr.pool.changed}, sent by vcr). The problems carry {@code vcrecovery=pool-grow|pool-shrink}
 * and {@code pool={HOST.HOST}}: the pool actions run {@code vcr pool grow|shrink --pending}, which
 * reads them from the API.
 */
final class PoolTemplate {
    static final String NAME = "vcrecovery pool";
    static final String SAMPLES = "vcr.pool.samples";
    static final String LOAD = "vcr.pool.load";
    static final String AVG = "vcr.pool.load.avg";
    static final String CHANGED = "vcr.pool.changed";
    static final String ACTIVE = "vcr.pool.active";
    static final String REPORT = "vcr.pool.report";

    /**
     * The mean of a sample's loads: JSONPath's avg() over the object's values, a sample that is
     * empty or holds a value that is not a number discarded. (Not JavaScript: Zabbix 6.0 refuses a
     * JavaScript step with an error handler.)
     */
    static final String MEAN_PATH = "$.*.avg()";
    static final String MEMBERS_JS = "var o = JSON.parse(value), r = [];\n"
            + "for (var k in o) r.push({'{#MEMBER}': k});\n"
            + "return JSON.stringify(r);";

    private PoolTemplate() {}

    static TemplateDsl pool() {
        TemplateDsl t = new TemplateDsl(NAME, """
                A hot-standby pool (runbook kind: pool): one service served by several members at once \
                through a DNS round-robin RRset. Link it to one host per pool, named like the pool's \
                runbook (or its zabbix-host).

                Send the active members' loads, in % of what one member can serve, to the trapper item \
                vcr.pool.samples as one JSON object per sample, e.g. {"web1": 72.5, "web2": 64} (from \
                the members' own monitoring or a collector; standbys take no requests and are left \
                out). Dependent items split it per member (discovered from the same values) and average \
                it; the calculated item averages that over {$VCR.POOL.WINDOW}. Above {$VCR.POOL.UPPER} \
                the grow problem opens, below {$VCR.POOL.LOWER} the shrink problem (lower at most half \
                of upper, so that a grow never lands under it), each closing {$VCR.POOL.HYSTERESIS} \
                points back, and neither within {$VCR.POOL.MIN.INTERVAL} of the pool's last change \
                (vcr.pool.changed, sent by vcr when vcr.yaml sets zabbix.trapper). The problems carry \
                vcrecovery=pool-grow or pool-shrink and pool={HOST.HOST}; the actions `vcr zabbix \
                install` creates run `vcr pool grow --pending` or `vcr pool shrink --pending` on the \
                recovery VM.""");
        t.macro("{$VCR.POOL.UPPER}", "70", "Grow above this average load, in % of one member's capacity (seed: 70 %).");
        t.macro("{$VCR.POOL.LOWER}", "35", "Shrink below this average load (at most half of {$VCR.POOL.UPPER}: growing from one member to two halves the average).");
        t.macro("{$VCR.POOL.HYSTERESIS}", "5", "Points a grow (shrink) problem's average must fall below (rise above) its threshold before it closes.");
        t.macro("{$VCR.POOL.WINDOW}", "30s", "The moving average's window (seed: 30 s). Keep it equal to the runbook's pool.window.");
        t.macro("{$VCR.POOL.MIN.INTERVAL}", "60s", "No grow or shrink problem opens within this time of the pool's last change (30 s at least: Zabbix's nodata). vcr also enforces the runbook's min-interval.");
        t.macro("{$VCR.POOL.INTERVAL}", "5s", "How often the moving average is computed.");

        List<Map<String, Object>> pool = tags("component", "pool");
        t.item(SAMPLES, "Pool: member loads (sample)",
                "The active members' loads of one sample, a JSON object {\"member\": load in % of one member's capacity}. Every other pool item is computed from it.",
                pool, "type", "TRAP", "delay", "0", "value_type", "TEXT", "trends", "0");
        t.item(LOAD, "Pool: member load (mean of a sample)",
                "The mean of the active members' loads in one sample, in % of one member's capacity.",
                pool, "type", "DEPENDENT", "delay", "0", "value_type", "FLOAT", "units", "%",
                "preprocessing", List.of(m("type", "JSONPATH", "parameters", List.of(MEAN_PATH),
                        "error_handler", "DISCARD_VALUE")),
                "master_item", m("key", SAMPLES));
        t.item(AVG, "Pool: moving average of the load",
                "The members' mean load averaged over {$VCR.POOL.WINDOW}: the value the grow and shrink triggers compare with their thresholds.",
                pool, "type", "CALCULATED", "delay", "{$VCR.POOL.INTERVAL}", "value_type", "FLOAT", "units", "%",
                "params", "avg(//" + LOAD + ",{$VCR.POOL.WINDOW})");
        t.item(CHANGED, "Pool: last change",
                "When vcr last grew or shrank this pool (unix time), sent by vcr after each change when vcr.yaml sets zabbix.trapper. The triggers wait {$VCR.POOL.MIN.INTERVAL} after it.",
                pool, "type", "TRAP", "delay", "0", "units", "unixtime");
        t.item(ACTIVE, "Pool: active members",
                "Members in the RRset after vcr's last change, sent by vcr with vcr.pool.changed.", pool, "type", "TRAP", "delay", "0");
        t.item(REPORT, "Pool: last change report",
                "The one-line outcome of the last `vcr pool grow|shrink` of this pool (every step with its time), sent by vcr.",
                pool, "type", "TRAP", "delay", "0", "value_type", "TEXT", "trends", "0");

        String avg = t.ref(AVG);
        String quiet = "nodata(" + t.ref(CHANGED) + ",{$VCR.POOL.MIN.INTERVAL})=1";
        t.trigger("Pool {HOST.NAME}: load above {$VCR.POOL.UPPER}% over {$VCR.POOL.WINDOW}: grow",
                "last(" + avg + ")>{$VCR.POOL.UPPER} and " + quiet,
                "last(" + avg + ")<{$VCR.POOL.UPPER}-{$VCR.POOL.HYSTERESIS}", "WARNING",
                "The members' moving average passed the upper threshold: the action runs `vcr pool grow --pending` on the recovery VM, which puts the standby into the RRset and starts an idle member as the next standby. Closes when the average is {$VCR.POOL.HYSTERESIS} points under the threshold.",
                tags("vcrecovery", "pool-grow", "pool", "{HOST.HOST}"));
        t.trigger("Pool {HOST.NAME}: load below {$VCR.POOL.LOWER}% over {$VCR.POOL.WINDOW}: shrink",
                "last(" + avg + ")<{$VCR.POOL.LOWER} and " + quiet,
                "last(" + avg + ")>{$VCR.POOL.LOWER}+{$VCR.POOL.HYSTERESIS}", "INFO",
                "The members' moving average fell under the lower threshold: the action runs `vcr pool shrink --pending`, which takes the last active member out of the RRset (it stays up as the standby), never below the runbook's min-active. Closes when the average is {$VCR.POOL.HYSTERESIS} points over the threshold.",
                tags("vcrecovery", "pool-shrink", "pool", "{HOST.HOST}"));

        t.discoveryRule(m("uuid", t.uuid("discovery_rule", "vcr.pool.members"),
                "name", "Pool members",
                "type", "DEPENDENT", "key", "vcr.pool.members", "delay", "0",
                "lifetime", "1d",
                "description", "The members named in the samples (vcr.pool.samples): one load item each. A member that is no longer sent (back to standby or idle) keeps its item for a day.",
                "item_prototypes", List.of(t.itemMap("item_prototype", "vcr.pool.load[{#MEMBER}]", "Member {#MEMBER}: load",
                        "Load of member {#MEMBER} in % of one member's capacity, from the samples; no value while it is not active.",
                        tags("component", "pool", "member", "{#MEMBER}"),
                        "type", "DEPENDENT", "delay", "0", "value_type", "FLOAT", "units", "%",
                        "preprocessing", List.of(m("type", "JSONPATH", "parameters", List.of("$['{#MEMBER}']"),
                                "error_handler", "DISCARD_VALUE")),
                        "master_item", m("key", SAMPLES))),
                "master_item", m("key", SAMPLES),
                "preprocessing", List.of(m("type", "JAVASCRIPT", "parameters", List.of(MEMBERS_JS)),
                        m("type", "DISCARD_UNCHANGED_HEARTBEAT", "parameters", List.of("1h")))));
        t.graph("Pool: load and members", AVG, "F63100", LOAD, "F7941D", ACTIVE, "2774A4");
        t.dashboard("vcrecovery: pool", List.of(
                widget("GRAPH_CLASSIC", "Load and members", 0, 0, 16, 5, List.of(
                        field("GRAPH", "graphid", m("name", "Pool: load and members", "host", NAME)))),
                widget("ITEM", "Active members", 16, 0, 8, 5, List.of(
                        field("ITEM", "itemid", m("key", ACTIVE, "host", NAME)))),
                widget("PLAIN_TEXT", "Recent changes", 0, 5, 24, 4, List.of(
                        field("ITEM", "itemids", m("key", REPORT, "host", NAME)),
                        field("INTEGER", "show_lines", "10")))));
        return t;
    }
}
