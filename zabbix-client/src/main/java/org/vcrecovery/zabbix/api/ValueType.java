package org.vcrecovery.zabbix.api;

/** An item's value type, with Zabbix's numeric code (also the {@code history} parameter of {@code history.get}). */
public enum ValueType {
    FLOAT(0), CHARACTER(1), LOG(2), UNSIGNED(3), TEXT(4);

    private final int code;

    ValueType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code; throws naming the code when unknown (5 = binary, 7.0+, is not supported). */
    public static ValueType of(int code) {
        for (ValueType t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("unknown value type code: " + code);
    }
}
