package org.vcrecovery.drill;

/**
 * How {@code vcr recover} ran for one failover: handed over to {@code vcr serve} (its warm JVM ran
 * it; evidence: the server's line for the run's event) or as a fresh JVM started by bin/vcr (no
 * such line). {@code note} says when that is not what the drill asked for: with serve on, a run
 * the server did not log ran as a fresh JVM, and its figures are not served figures.
 *
 * @param serveOn      whether the drill ran vcr serve for the action (not {@code --no-serve})
 * @param served       whether the server ran it
 * @param serverMillis how long the run took in the server (its log line), or null when not served
 * @param note         why a run was not served although serve was on, or null
 */
public record VcrRun(boolean serveOn, boolean served, Long serverMillis, String note) {
    public VcrRun {
        if (served && !serveOn) throw new IllegalArgumentException("served without serveOn");
        if (served != (serverMillis != null)) throw new IllegalArgumentException("serverMillis must be given exactly when served");
        if (serveOn && !served && (note == null || note.isBlank())) throw new IllegalArgumentException("note == null for a run serve did not take");
    }

    /** {@code --no-serve}: a fresh JVM, as asked. */
    public static VcrRun freshJvm() {
        return new VcrRun(false, false, null, null);
    }

    public static VcrRun served(long serverMillis) {
        return new VcrRun(true, true, serverMillis, null);
    }

    /** Serve was on, but the run ran as a fresh JVM (or it is not known where it ran): {@code why}. */
    public static VcrRun notServed(String why) {
        return new VcrRun(true, false, null, why);
    }

    /** True when vcr ran the way the drill was asked to run it. */
    public boolean asAsked() {
        return served == serveOn;
    }

    /** "served" or "fresh-jvm" (the JSON value). */
    public String key() {
        return served ? "served" : "fresh-jvm";
    }

    /** One line for people. */
    public String describe() {
        if (served) return "served by vcr serve (the run took " + serverMillis + " ms there)";
        if (!serveOn) return "fresh JVM (--no-serve)";
        return "fresh JVM, NOT served although vcr serve was running: " + note;
    }
}
