package org.vcrecovery.vcr.standby;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The registry of {@link StandbyBackendFactory}s by name.
 *
 * <p>{@link #installed()} finds the factories on the class path with {@link ServiceLoader}.
 * Every lookup problem is a {@link StandbyException} with code {@link StandbyException.Code#INVALID}
 * and a message that says what is wrong: an unknown name (listing the known ones), two factories
 * claiming the same name (naming both classes), a config key the backend does not accept.
 */
public final class StandbyBackends {
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Iterable<? extends StandbyBackendFactory> factories;
    private Map<String, StandbyBackendFactory> byName;
    private Map<String, String> duplicates;

    private StandbyBackends(Iterable<? extends StandbyBackendFactory> factories) {
        this.factories = factories;
    }

    /**
     * The factories registered on this class's class path, found and instantiated (cheap by
     * contract) at the first lookup: the search opens every jar on the class path, which a
     * recovery on a warm standby, needing no backend, does not pay.
     */
    public static StandbyBackends installed() {
        return of(ServiceLoader.load(StandbyBackendFactory.class, StandbyBackends.class.getClassLoader()));
    }

    /** A registry of the given factories (tests, embedding). Duplicates fail at lookup of that name. */
    public static StandbyBackends of(Iterable<? extends StandbyBackendFactory> factories) {
        return new StandbyBackends(factories);
    }

    private synchronized Map<String, StandbyBackendFactory> byName() {
        if (byName == null) {
            Map<String, StandbyBackendFactory> found = new TreeMap<>();
            Map<String, String> dups = new LinkedHashMap<>();
            for (StandbyBackendFactory f : factories) {
                StandbyBackendFactory previous = found.putIfAbsent(f.name(), f);
                if (previous != null) {
                    dups.merge(f.name(), previous.getClass().getName() + " and " + f.getClass().getName(),
                            (a, b) -> a + ", " + f.getClass().getName());
                }
            }
            duplicates = dups;
            byName = Collections.unmodifiableMap(found);
        }
        return byName;
    }

    /** The names of the registered backends, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName().keySet()));
    }

    /** The factory called {@code name}. */
    public StandbyBackendFactory factory(String name) {
        Map<String, StandbyBackendFactory> known = byName();
        String dup = duplicates.get(name);
        if (dup != null) {
            throw new StandbyException(StandbyException.Code.INVALID,
                    "standby backend '" + name + "' is registered more than once (" + dup + "): fix the class path");
        }
        StandbyBackendFactory f = name == null ? null : known.get(name);
        if (f == null) {
            throw new StandbyException(StandbyException.Code.INVALID,
                    "unknown standby backend '" + name + "': known backends are " + String.join(", ", names()));
        }
        return f;
    }

    /** Looks up {@code name}, checks the config keys against what it accepts, and creates the backend. */
    public StandbyBackend create(String name, Map<String, String> config) {
        StandbyBackendFactory f = factory(name);
        requireKnownKeys(f, config);
        return f.create(Map.copyOf(config));
    }

    /** Fails with {@link StandbyException.Code#INVALID} naming the first key {@code factory} does not accept. */
    public static void requireKnownKeys(StandbyBackendFactory factory, Map<String, String> config) {
        for (String key : new TreeSet<>(config.keySet())) {
            if (!factory.configKeys().contains(key)) {
                throw new StandbyException(StandbyException.Code.INVALID, "standby backend '" + factory.name()
                        + "' has no option '" + key + "': it accepts " + String.join(", ", new TreeSet<>(factory.configKeys())));
            }
        }
    }

    /** {@code config} as {@code {key=value, ...}} with the values of secret keys replaced by {@code ***}. */
    public static String redacted(StandbyBackendFactory factory, Map<String, String> config) {
        Map<String, String> shown = new TreeMap<>();
        config.forEach((k, v) -> shown.put(k, factory.secretKeys().contains(k) ? "***" : v));
        return shown.toString();
    }

    /**
     * Checks a target name the way every backend does before using it: 1 to 64 characters of
     * {@code [A-Za-z0-9_.-]}, starting with a letter or digit. Returns it unchanged.
     *
     * @throws StandbyException {@link StandbyException.Code#INVALID} naming the backend and the value
     */
    public static String requireValidTarget(String backend, String target) {
        if (target == null || !TARGET.matcher(target).matches()) {
            throw new StandbyException(StandbyException.Code.INVALID, backend + ": invalid standby name '"
                    + printable(target) + "': use 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
        }
        return target;
    }

    private static String printable(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 80 ? sb + "..." : sb.toString();
    }
}
