package org.vcrecovery.drill;

import java.util.Locale;

/**
 * The standby a drill recovers onto: a warm LXC container (already running), a cold one (stopped:
 * vcr starts it) or a suspended backup VM (a libvirt test-driver domain vcr resumes; its service
 * runs in an LXC container that the drill keeps frozen while the domain is paused).
 */
public enum Mode {
    WARM, COLD, RESUME;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
        for (Mode m : values()) if (m.key().equals(s)) return m;
        throw new IllegalArgumentException("--mode must be warm, cold or resume, not '" + s + "'");
    }
}
