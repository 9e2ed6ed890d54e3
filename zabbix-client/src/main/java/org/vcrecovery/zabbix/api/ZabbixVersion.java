package org.vcrecovery.zabbix.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Zabbix server (frontend/API) version as {@code apiinfo.version} reports it, e.g. {@code 6.0.14}.
 * Ordered by major, minor, patch; the methods below name the API behaviour that depends on it,
 * each taken from Zabbix's published API change lists (Appendix 2 of each manual).
 */
public record ZabbixVersion(int major, int minor, int patch) implements Comparable<ZabbixVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");
    /** The release series this client knows the API of: what it sends to each is checked against its change list. */
    public static final java.util.List<String> SUPPORTED = java.util.List.of("6.0", "6.2", "6.4", "7.0", "7.2", "7.4");

    public ZabbixVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts must be >= 0: " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code "6.0.14"}, {@code "7.2.0rc1"} or {@code "6.4"}.
     *
     * @throws IllegalArgumentException naming the text when it is not a version
     */
    public static ZabbixVersion parse(String text) {
        if (text == null) throw new NullPointerException("version == null");
        Matcher m = VERSION.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a Zabbix version: \"" + text + "\"");
        return new ZabbixVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** True when this version is {@code major.minor} or later. */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** 6.4+: credentials go in the {@code Authorization: Bearer} header (7.2+ refuses the {@code auth} field). */
    public boolean usesBearerHeader() {
        return atLeast(6, 4);
    }

    /** True for a release series in {@link #SUPPORTED}; any other (5.4, 7.1 alphas, 8.0) is refused by the client. */
    public boolean supported() {
        return SUPPORTED.contains(major + "." + minor);
    }

    /** One line for an operator: this version is not supported, and which are. */
    public String unsupportedMessage() {
        return "Zabbix " + this + " is not supported: vcrecovery knows the API of Zabbix "
                + String.join(", ", SUPPORTED.subList(0, SUPPORTED.size() - 1)) + " and " + SUPPORTED.get(SUPPORTED.size() - 1);
    }

    /**
     * 7.0+: {@code event.get} takes {@code selectAcknowledges}; 7.2 removed {@code select_acknowledges},
     * and 6.0 ignores {@code selectAcknowledges} (answers without the acknowledgements).
     */
    public String eventAcknowledgesParameter() {
        return atLeast(7, 0) ? "selectAcknowledges" : "select_acknowledges";
    }

    /** 6.2+: {@code host.get} and {@code maintenance.get} select {@code selectHostGroups} (7.2 removed {@code selectGroups}). */
    public String hostGroupsParameter() {
        return hasSeparateTemplateGroups() ? "selectHostGroups" : "selectGroups";
    }

    /** 5.4+: {@code user.login} takes {@code username} (before: {@code user}, which 6.4 removed). 6.0 accepts {@code username}. */
    public boolean loginTakesUsername() {
        return atLeast(5, 4);
    }

    /** 6.2+: host groups and template groups are separate ({@code selectHostGroups}, import rule {@code host_groups}). */
    public boolean hasSeparateTemplateGroups() {
        return atLeast(6, 2);
    }

    @Override
    public int compareTo(ZabbixVersion o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
