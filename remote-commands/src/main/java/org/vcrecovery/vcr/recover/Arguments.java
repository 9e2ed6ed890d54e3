package org.vcrecovery.vcr.recover;

import java.util.regex.Pattern;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.Names;

/**
 * Checks the untrusted arguments of {@code vcr recover}: they come from Zabbix macros
 * ({@code {EVENT.ID}}, {@code {HOST.HOST}}, {@code {EVENT.TAGS.vm}}). A macro Zabbix could not
 * resolve arrives literally ({@code {EVENT.TAGS.vm}}) or as {@code *UNKNOWN*}: that, like an
 * empty string, means "not given". Anything else that is not a plain id or name is refused with
 * {@link ExitCode#USAGE} and a message naming the option and the offending character.
 */
public final class Arguments {
    private static final Pattern MACRO = Pattern.compile("\\{\\$?[A-Z][A-Za-z0-9_.]*(:[^{}]*)?\\}");
    private static final Pattern EVENT_ID = Pattern.compile("[0-9]{1,20}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_./-]{1,4096}");
    private static final String METACHARACTERS = ";&|`$<>()\\\"'*?[]{}!#~ \t\r\n";

    private Arguments() {}

    /** True for null, blank, an unresolved Zabbix macro or {@code *UNKNOWN*}. */
    public static boolean absent(String value) {
        if (value == null) return true;
        String v = value.trim();
        return v.isEmpty() || v.equals("*UNKNOWN*") || MACRO.matcher(v).matches();
    }

    /** The event id, or null when absent; USAGE unless it is a number. */
    public static String eventId(String value) {
        if (absent(value)) return null;
        if (EVENT_ID.matcher(value).matches()) return value;
        throw bad("--event-id", value, "is not an event id (digits only)");
    }

    /** A name (host, domain, standby), or null when absent; USAGE unless it is [A-Za-z0-9][A-Za-z0-9_.-]*. */
    public static String name(String option, String value) {
        if (absent(value)) return null;
        if (Names.isName(value)) return value;
        throw bad(option, value, "is not a valid name: use letters, digits, '_', '.', '-', starting with a letter or digit");
    }

    /** A runbook name or file path, or null when absent. */
    public static String runbook(String value) {
        if (absent(value)) return null;
        if (Names.isName(value) || PATH.matcher(value).matches() && !value.startsWith("-")) return value;
        throw bad("--runbook", value, "is not a runbook name or file path");
    }

    private static VcrException bad(String option, String value, String why) {
        String shown = printable(value);
        String meta = null;
        for (char c : value.toCharArray()) {
            if (METACHARACTERS.indexOf(c) >= 0 || c < 0x20 || c == 0x7f) {
                meta = c < 0x20 || c == 0x7f ? String.format("control character 0x%02x", (int) c)
                        : c == ' ' ? "a space" : "'" + c + "'";
                break;
            }
        }
        return new VcrException(ExitCode.USAGE, option + ": '" + shown + "' " + why
                + (meta == null ? "" : " (contains " + meta + ", a shell metacharacter: refused)") + "; nothing was changed");
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 80 ? sb + "..." : sb.toString();
    }
}
