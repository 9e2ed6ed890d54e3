package org.vcrecovery.it.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The "suspended VM to resume" standby: a domain on the sandbox's libvirtd (test driver over its
 * unix socket) is suspended, then resumed through the libvirt backend and through
 * {@code vcr standby}, and its state seen by libvirt itself.
 */
class LibvirtStandbyIT {
    private String uri;
    private Connect libvirt;
    private String name;

    @BeforeEach
    void defineASuspendedDomain() throws Exception {
        uri = Sandbox.get().value(Sandbox.LIBVIRT_URI);
        libvirt = new Connect(uri);
        name = "standby-it-" + UUID.randomUUID().toString().substring(0, 8);
        Domain d = libvirt.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                + "<metadata><vcr:standby xmlns:vcr='urn:vcrecovery:standby:1' address='127.0.61.9'/></metadata>"
                + "<os><type>hvm</type></os></domain>");
        d.create();
        d.suspend();
    }

    @AfterEach
    void undefine() throws Exception {
        try {
            Domain d = libvirt.domainLookupByName(name);
            if (d.isActive() == 1) d.destroy();
            d.undefine();
        } finally {
            libvirt.close();
        }
    }

    @Test
    void aSuspendedDomainIsResumedByTheBackend() throws Exception {
        try (StandbyBackend b = StandbyBackends.installed().create("libvirt", Map.of("uri", uri))) {
            assertThat(b.status(name)).isEqualTo(StandbyState.PAUSED);
            assertThat(b.address(name)).contains("127.0.61.9");

            long t0 = System.nanoTime();
            b.start(name, Duration.ofSeconds(5));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(libvirt.domainLookupByName(name).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
            assertThat(ms).isLessThan(1000);
            b.stop(name, Duration.ofSeconds(5));
            assertThat(libvirt.domainLookupByName(name).isActive()).isZero();
            assertThat(b.status(name)).isEqualTo(StandbyState.STOPPED);
        }
    }

    @Test
    void theOperatorCommandResumesAndReportsTheState() throws Exception {
        VcrRun status = VcrRun.of("standby", "status", "--backend", "libvirt", "-o", "uri=" + uri, name);
        assertThat(status.exit()).isEqualTo(7);
        assertThat(status.out()).startsWith("libvirt " + name + " PAUSED, address 127.0.61.9");

        VcrRun start = VcrRun.of("standby", "start", "--backend", "libvirt", "-o", "uri=" + uri, name, "--json");
        assertThat(start.exit()).isZero();
        assertThat(start.out()).contains("{\"backend\":\"libvirt\",\"target\":\"" + name + "\",\"state\":\"RUNNING\",\"action\":\"started\"");
        assertThat(libvirt.domainLookupByName(name).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);

        VcrRun suspend = VcrRun.of("standby", "suspend", "--backend", "libvirt", "-o", "uri=" + uri, name);
        assertThat(suspend.exit()).isZero();
        assertThat(libvirt.domainLookupByName(name).getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_PAUSED);
        assertThat(status.err() + start.err() + suspend.err()).isEmpty();
    }
}
