package org.vcrecovery.vcr.standby.libvirt;

import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;

/**
 * The {@code libvirt} backend: libvirt domains (VMs) started, resumed, destroyed, suspended and
 * rebooted through libvirt-java.
 *
 * <p>Config: {@code uri} (the libvirt connection URI, default {@value #DEFAULT_URI}). The
 * connection opens on first use, not here. This class touches no libvirt or JNA class: those
 * load only when {@link #create} runs, so other backends never pay for them.
 *
 * <p>Address: a domain announces its service address in its metadata, as
 * {@code <metadata><vcr:standby xmlns:vcr="urn:vcrecovery:standby:1" address="127.0.1.5"/></metadata>}
 * (set it with {@code virsh metadata DOMAIN urn:vcrecovery:standby:1 --key vcr --set '<standby address="127.0.1.5"/>'}).
 */
public final class LibvirtBackendFactory implements StandbyBackendFactory {
    /** JNA, libvirt-java and the system's libvirt library: ~150 ms of a first use. */
    static final java.util.List<String> CLASSES = java.util.List.of(
            "org.libvirt.jna.Libvirt", "org.libvirt.Connect", "org.libvirt.Domain", "org.libvirt.DomainInfo",
            "org.libvirt.DomainInfo$DomainState", "org.libvirt.jna.virDomainInfo", "org.libvirt.LibvirtException",
            "org.libvirt.Error", "org.libvirt.Error$ErrorNumber");

    public static final String NAME = "libvirt";
    public static final String URI = "uri";
    public static final String DEFAULT_URI = "qemu:///system";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(URI);
    }

    @Override
    public StandbyBackend create(Map<String, String> config) {
        StandbyBackends.requireKnownKeys(this, config);
        return LibvirtBackend.create(NAME, LibvirtBackend.requireUri(NAME, config.getOrDefault(URI, DEFAULT_URI)));
    }

    @Override
    public Set<Guest> guests() {
        return Set.of(Guest.VM);
    }

    @Override
    public Set<StandbyBackend.Capability> capabilities() {
        return Set.of(StandbyBackend.Capability.SUSPEND, StandbyBackend.Capability.REBOOT);
    }

    @Override
    public java.util.List<String> preloadClasses() {
        return CLASSES;
    }
}
