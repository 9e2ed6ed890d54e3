package org.vcrecovery.vcr.check;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The protocols a service check speaks after the TCP connect, each with its usual port.
 *
 * <p>{@link #TCP} proves only that the port accepts connections; the others also read the
 * server's first words: an HTTP status line (after sending {@code HEAD / HTTP/1.0}), an SMTP or
 * FTP {@code 220} greeting, an SSH identification string.
 *
 * <p>This is the whole extension point: a new protocol is a constant here (its label and default
 * port) and its conversation in {@link ServiceChecker}. Runbooks, {@code vcr check-port} and the
 * help text take the list from {@link #labels()}.
 */
public enum Protocol {
    TCP(0),
    HTTP(80),
    SMTP(25),
    FTP(21),
    SSH(22);

    private final int defaultPort;

    Protocol(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The lower-case name used on the command line, in runbooks and in reports ({@code "smtp"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The port a check of this protocol uses when none is given; 0 when it has none (tcp). */
    public int defaultPort() {
        return defaultPort;
    }

    /** Every protocol by its label, in declaration order. */
    public static Map<String, Protocol> byLabel() {
        Map<String, Protocol> m = new LinkedHashMap<>();
        for (Protocol p : values()) m.put(p.label(), p);
        return m;
    }

    /** "tcp, http, smtp, ftp, ssh". */
    public static String labels() {
        return Stream.of(values()).map(Protocol::label).collect(Collectors.joining(", "));
    }

    /**
     * Parses a protocol name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code s} is none of them
     */
    public static Protocol parse(String s) {
        if (s != null) {
            for (Protocol p : values()) {
                if (p.name().equalsIgnoreCase(s.trim())) return p;
            }
        }
        throw new IllegalArgumentException("protocol '" + s + "' is not one of " + labels());
    }
}
