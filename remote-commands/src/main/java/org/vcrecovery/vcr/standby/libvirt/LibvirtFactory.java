package org.vcrecovery.vcr.standby.libvirt;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * What the {@code libvirt} and {@code libvirt-lxc} factories share: one option, {@code uri}
 * (each with its own default), the same {@link LibvirtBackend} (start, resume, destroy, suspend,
 * reboot; address from the domain's metadata) and the same classes to preload. They differ only
 * in name, default URI and the guest they run. Like every factory, it touches no libvirt or JNA
 * class before {@link #create}.
 */
abstract class LibvirtFactory implements StandbyBackendFactory {
    /** The option naming the libvirt connection URI. */
    static final String URI = "uri";

    /** JNA, libvirt-java and the system's libvirt library: ~150 ms of a first use. */
    static final List<String> CLASSES = List.of(
            "org.libvirt.jna.Libvirt", "org.libvirt.Connect", "org.libvirt.Domain", "org.libvirt.DomainInfo",
            "org.libvirt.DomainInfo$DomainState", "org.libvirt.jna.virDomainInfo", "org.libvirt.LibvirtException",
            "org.libvirt.Error", "org.libvirt.Error$ErrorNumber");

    private final String name;
    private final String defaultUri;
    private final Guest guest;

    LibvirtFactory(String name, String defaultUri, Guest guest) {
        this.name = name;
        this.defaultUri = defaultUri;
        this.guest = guest;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> configKeys() {
        return Set.of(URI);
    }

    @Override
    public final StandbyBackend create(Map<String, String> config) {
        StandbyBackends.requireKnownKeys(this, config);
        return LibvirtBackend.create(name, LibvirtBackend.requireUri(name, config.getOrDefault(URI, defaultUri)));
    }

    @Override
    public final Set<Guest> guests() {
        return Set.of(guest);
    }

    @Override
    public final Set<StandbyBackend.Capability> capabilities() {
        return Set.of(StandbyBackend.Capability.SUSPEND, StandbyBackend.Capability.REBOOT);
    }

    @Override
    public final List<String> preloadClasses() {
        return CLASSES;
    }
}
