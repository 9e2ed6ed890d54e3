package org.vcrecovery.vcr.check;

import java.util.Locale;

/**
 * The protocols a service check speaks after the TCP connect.
 *
 * <p>{@link #TCP} proves only that the port accepts connections; the others also read the
 * server's first words: an HTTP status line (after sending {@code HEAD / HTTP/1.0}), an SMTP or
 * FTP {@code 220} greeting, an SSH identification string.
 */
public enum Protocol {
    TCP,
    HTTP,
    SMTP,
    FTP,
    SSH;

    /** The lower-case name used on the command line and in reports ({@code "smtp"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
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
        throw new IllegalArgumentException("protocol '" + s + "' is not one of tcp, http, smtp, ftp, ssh");
    }
}
