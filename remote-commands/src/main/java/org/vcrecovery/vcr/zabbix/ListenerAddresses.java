package org.vcrecovery.vcr.zabbix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.api.ZabbixApiException;

/**
 * The global macro {@value #MACRO}: the addresses the Zabbix server accepts trapper values from
 * for the KVM host template's items (its {@code allowed_hosts}), i.e. where the trap listeners
 * run. A value sent from anywhere else is refused by the server ("processed 0, failed 1"), so no
 * other machine can fake a VM state and fire a recovery. An unset macro refuses every sender
 * (the server cannot resolve it): fails closed.
 *
 * <p>It is a global macro, not a template macro, because a template macro's value would win over
 * it and be reset by every template import; set a host macro of the same name on a KVM host to
 * give that host its own list.
 */
final class ListenerAddresses {
    static final String MACRO = "{$VCR.LISTENER.ADDRESSES}";
    /** Where the sandbox's (and a single-machine install's) listener sends from. */
    static final String DEFAULT = "127.0.0.1";
    /** What allowed_hosts takes: IPv4/IPv6 addresses, CIDR ranges and DNS names, comma-separated. */
    private static final Pattern LIST = Pattern.compile("[A-Za-z0-9.:/_-]{1,255}(, ?[A-Za-z0-9.:/_-]{1,255}){0,63}");

    private ListenerAddresses() {}

    /** {@code value} trimmed, or USAGE naming what is wrong with it. */
    static String check(String value) {
        String v = value.trim();
        if (!LIST.matcher(v).matches()) {
            throw new VcrException(ExitCode.USAGE, "--listener-addresses '" + value + "' must be addresses, CIDR ranges or DNS names"
                    + " separated by commas (e.g. 192.0.2.10,192.0.2.0/28,kvm1.example.net); nothing was changed");
        }
        return v;
    }

    /**
     * Creates the macro (with {@code wanted}, or {@link #DEFAULT}) or updates it to {@code wanted};
     * a null {@code wanted} leaves an existing value alone. Adds the change and, when the value is
     * the default, a note.
     */
    static void install(ZabbixApi api, String wanted, boolean dryRun, List<Change> changes, List<String> notes) {
        JsonNode existing = call("usermacro.get", () -> api.call("usermacro.get", Map.of("output", List.of("globalmacroid", "macro", "value"),
                "globalmacro", true, "filter", Map.of("macro", List.of(MACRO)))));
        String value;
        if (existing.isEmpty()) {
            value = wanted != null ? wanted : DEFAULT;
            if (!dryRun) {
                call("usermacro.createglobal", () -> api.call("usermacro.createglobal", Map.of("macro", MACRO, "value", value,
                        "description", "Addresses the vcrecovery KVM host template's trapper items accept values from: where the"
                                + " trap listeners run (vcr zabbix install --listener-addresses). A host macro overrides it per KVM host.")));
            }
            changes.add(new Change("macro", MACRO, Change.Outcome.create(dryRun), value));
        } else {
            String have = existing.path(0).path("value").asText();
            value = wanted != null ? wanted : have;
            if (value.equals(have)) {
                changes.add(new Change("macro", MACRO, Change.Outcome.UP_TO_DATE, ""));
            } else {
                if (!dryRun) {
                    call("usermacro.updateglobal", () -> api.call("usermacro.updateglobal", Map.of(
                            "globalmacroid", existing.path(0).path("globalmacroid").asText(), "value", value)));
                }
                changes.add(new Change("macro", MACRO, Change.Outcome.update(dryRun), have + " -> " + value));
            }
        }
        if (value.equals(DEFAULT)) {
            notes.add("trapper items of \"vcrecovery KVM host\" accept values only from " + MACRO + " = " + DEFAULT
                    + ": give --listener-addresses with the addresses your trap listeners send from (or a host macro per KVM host)");
        }
    }

    @FunctionalInterface
    private interface Call {
        JsonNode call() throws ZabbixApiException;
    }

    private static JsonNode call(String method, Call c) {
        try {
            return c.call();
        } catch (ZabbixApiException e) {
            throw Installer.failure("global macro " + MACRO + " (" + method + ")", e);
        }
    }
}
