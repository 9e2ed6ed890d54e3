package org.vcrecovery.vcr.standby.libvirt;

import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * The {@code libvirt-lxc} backend: containers of libvirt's LXC driver, handled exactly like
 * {@link LibvirtBackendFactory libvirt} domains (same operations, same address metadata) but
 * with {@code uri} defaulting to {@value #DEFAULT_URI}. No libvirt class loads before {@link #create}.
 */
public final class LibvirtLxcBackendFactory implements StandbyBackendFactory {
    public static final String NAME = "libvirt-lxc";
    public static final String DEFAULT_URI = "lxc:///";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(LibvirtBackendFactory.URI);
    }

    @Override
    public StandbyBackend create(Map<String, String> config) {
        StandbyBackends.requireKnownKeys(this, config);
        return LibvirtBackend.create(NAME,
                LibvirtBackend.requireUri(NAME, config.getOrDefault(LibvirtBackendFactory.URI, DEFAULT_URI)));
    }

    @Override
    public Set<Guest> guests() {
        return Set.of(Guest.CONTAINER);
    }

    @Override
    public Set<StandbyBackend.Capability> capabilities() {
        return Set.of(StandbyBackend.Capability.SUSPEND, StandbyBackend.Capability.REBOOT);
    }

    @Override
    public java.util.List<String> preloadClasses() {
        return LibvirtBackendFactory.CLASSES;
    }
}
