package org.vcrecovery.zabbix.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How {@code configuration.import} treats what it finds: create what is missing, update what
 * exists, and (only when asked) delete what the file no longer has. {@link #defaults()} creates and
 * updates and never deletes. The same rules produce the right {@code rules} object for each server
 * version (6.0's {@code groups}, 6.2's {@code host_groups}/{@code template_groups}).
 */
public record ImportRules(boolean createMissing, boolean updateExisting, boolean deleteMissing) {

    /** Create missing, update existing, never delete. */
    public static ImportRules defaults() {
        return new ImportRules(true, true, false);
    }

    Map<String, Object> toParams(ZabbixVersion version) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> cu = Map.of("createMissing", createMissing, "updateExisting", updateExisting);
        Map<String, Object> cud = Map.of("createMissing", createMissing, "updateExisting", updateExisting,
                "deleteMissing", deleteMissing);
        if (version.hasSeparateTemplateGroups()) {
            r.put("host_groups", cu);
            r.put("template_groups", cu);
        } else {
            r.put("groups", cu);
        }
        r.put("templates", cu);
        r.put("hosts", cu);
        r.put("valueMaps", cud);
        r.put("templateDashboards", cud);
        r.put("templateLinkage", Map.of("createMissing", createMissing, "deleteMissing", deleteMissing));
        r.put("items", cud);
        r.put("discoveryRules", cud);
        r.put("triggers", cud);
        r.put("graphs", cud);
        r.put("httptests", cud);
        return r;
    }
}
