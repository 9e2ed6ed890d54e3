package org.vcrecovery.vcr.standby.libvirt;

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
public final class LibvirtBackendFactory extends LibvirtFactory {
    public static final String NAME = "libvirt";
    public static final String URI = LibvirtFactory.URI;
    public static final String DEFAULT_URI = "qemu:///system";

    public LibvirtBackendFactory() {
        super(NAME, DEFAULT_URI, Guest.VM);
    }
}
