package org.vcrecovery.vcr.standby.lxc;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;

/**
 * The {@code lxc} backend: LXC containers on this host, driven through the {@code lxc-*} tools.
 *
 * <p>Config: {@code lxcpath} (the containers' directory, default {@value #DEFAULT_LXCPATH}; must
 * be an absolute path). Creating the backend does no I/O.
 */
public final class LxcBackendFactory implements StandbyBackendFactory {
    public static final String NAME = "lxc";
    public static final String LXCPATH = "lxcpath";
    public static final String DEFAULT_LXCPATH = "/var/lib/lxc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(LXCPATH);
    }

    @Override
    public StandbyBackend create(Map<String, String> config) {
        StandbyBackends.requireKnownKeys(this, config);
        String p = config.getOrDefault(LXCPATH, DEFAULT_LXCPATH);
        if (p.isBlank() || !p.startsWith("/") || p.indexOf('\0') >= 0 || p.contains("\n")) {
            throw new StandbyException(StandbyException.Code.INVALID,
                    "lxc: option lxcpath must be an absolute path, got '" + p.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return new LxcBackend(Path.of(p), new ProcessToolRunner());
    }

    @Override
    public Set<Guest> guests() {
        return Set.of(Guest.CONTAINER);
    }

    @Override
    public Set<StandbyBackend.Capability> capabilities() {
        return Set.of(StandbyBackend.Capability.SUSPEND, StandbyBackend.Capability.REBOOT);
    }
}
