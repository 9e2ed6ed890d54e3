package org.vcrecovery.zabbix.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Zabbix server (frontend/API) version as {@code apiinfo.version} reports it, e.g. {@code 6.0.14}.
 * Ordered by major, minor, patch; the methods below name the API behaviour that depends on it.
 */
public record ZabbixVersion(int major, int minor, int patch) implements Comparable<ZabbixVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

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

    /** 5.4+: {@code user.login} takes {@code username} (before: {@code user}). */
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
