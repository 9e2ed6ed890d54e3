package org.vcrecovery.listener;

/** A configuration problem, naming the key (e.g. {@code snmp.listen}) it is about. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The dotted config key, or the flag, at fault. */
    public String key() {
        return key;
    }
}
