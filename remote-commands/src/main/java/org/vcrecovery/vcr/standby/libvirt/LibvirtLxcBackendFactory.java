package org.vcrecovery.vcr.standby.libvirt;

/**
 * The {@code libvirt-lxc} backend: containers of libvirt's LXC driver, handled exactly like
 * {@link LibvirtBackendFactory libvirt} domains (same operations, same address metadata) but
 * with {@code uri} defaulting to {@value #DEFAULT_URI}. No libvirt class loads before {@link #create}.
 */
public final class LibvirtLxcBackendFactory extends LibvirtFactory {
    public static final String NAME = "libvirt-lxc";
    public static final String DEFAULT_URI = "lxc:///";

    public LibvirtLxcBackendFactory() {
        super(NAME, DEFAULT_URI, Guest.CONTAINER);
    }
}
