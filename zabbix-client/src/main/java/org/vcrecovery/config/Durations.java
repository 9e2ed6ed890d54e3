package org.vcrecovery.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in configuration (vcr.yaml, runbooks, the trap listener's
 * file): a whole number and a unit, {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h}. A bare
 * number is refused (seconds or milliseconds?), except where a file documented it before this
 * rule: {@link #parseBareSeconds}. Lives here, in the module both vcr and the listener already
 * depend on, so that both read a duration the same way without a jar of its own on either class
 * path (one more jar to open on every {@code vcr} start and in its AppCDS class path).
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private Durations() {}

    /** The duration {@code text} denotes; throws {@link IllegalArgumentException} saying the accepted forms. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a number and a unit, e.g. 250ms, 3s, 5m, 1h");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            default: return Duration.ofHours(n);
        }
    }

    /**
     * Like {@link #parse(String)}, and inside {@code min..max}; the exception's message says
     * the range in this form ({@code 10ms to 5m}).
     */
    public static Duration parse(String text, Duration min, Duration max) {
        Duration d = parse(text);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(text.trim() + " is out of range: " + format(min) + " to " + format(max));
        }
        return d;
    }

    /**
     * Like {@link #parse(String, Duration, Duration)}, and a bare whole number counts as seconds:
     * the trap listener's shipped config has always said "a bare number is seconds", so configs
     * written by it keep their meaning ({@code interval: 0} is its documented "never").
     */
    public static Duration parseBareSeconds(String text, Duration min, Duration max) {
        String t = text == null ? "" : text.trim();
        return parse(t.matches("\\d{1,9}") ? t + "s" : text, min, max);
    }

    /** The shortest exact form: {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
