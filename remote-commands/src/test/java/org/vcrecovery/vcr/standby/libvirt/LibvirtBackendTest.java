package org.vcrecovery.vcr.standby.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * The libvirt backend against libvirt's in-process test driver ({@code test:///default}): no
 * daemon, no event loop. The test holds its own connection, which keeps the driver's state
 * alive and shared with the backend's connection.
 */
class LibvirtBackendTest {
    private static final Duration T = Duration.ofSeconds(5);

    Connect holder;
    StandbyBackend libvirt;
    String name;

    @BeforeEach
    void setUp() throws Exception {
        holder = new Connect("test:///default");
        name = "standby-" + UUID.randomUUID().toString().substring(0, 8);
        holder.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                + "<metadata><vcr:standby xmlns:vcr='" + LibvirtBackend.METADATA_NS + "' address='127.0.9.7'/></metadata>"
                + "<os><type>hvm</type></os></domain>");
        libvirt = StandbyBackends.installed().create("libvirt", Map.of("uri", "test:///default"));
    }

    @AfterEach
    void tearDown() throws Exception {
        libvirt.close();
        Domain d = holder.domainLookupByName(name);
        if (d.isActive() == 1) d.destroy();
        d.undefine();
        holder.close();
    }

    @Test
    void aSuspendedDomainIsResumedByStart() throws Exception {
        Domain d = holder.domainLookupByName(name);
        d.create();
        d.suspend();
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.PAUSED);

        libvirt.start(name, T);

        assertThat(d.getInfo().state).isEqualTo(DomainState.VIR_DOMAIN_RUNNING);
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.RUNNING);
    }

    @Test
    void aDefinedDomainIsStartedStoppedSuspendedAndRebooted() {
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.STOPPED);
        libvirt.start(name, T);
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.RUNNING);
        libvirt.start(name, T); // idempotent
        libvirt.suspend(name, T);
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.PAUSED);
        libvirt.start(name, T);
        libvirt.reboot(name, T);
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.RUNNING);
        libvirt.stop(name, T);
        assertThat(libvirt.status(name)).isEqualTo(StandbyState.STOPPED);
        libvirt.stop(name, T); // idempotent
    }

    @Test
    void theAddressComesFromTheDomainMetadata() {
        assertThat(libvirt.address(name)).contains("127.0.9.7");
        assertThat(libvirt.address("test")).isEmpty(); // the driver's stock domain has no metadata
    }

    @Test
    void listShowsEveryDomain() {
        assertThat(libvirt.list()).extracting(StandbyInfo::name).contains("test", name);
    }

    @Test
    void anUnknownDomainIsAbsentForStatusAndNotFoundForActions() {
        assertThat(libvirt.status("no-such-domain")).isEqualTo(StandbyState.ABSENT);
        assertThatThrownBy(() -> libvirt.start("no-such-domain", T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.NOT_FOUND))
                .hasMessage("libvirt: no domain 'no-such-domain' at test:///default");
    }

    @Test
    void suspendingAStoppedDomainFailsClearly() {
        assertThatThrownBy(() -> libvirt.suspend(name, T))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.FAILED))
                .hasMessage("libvirt: cannot suspend domain '" + name + "': it is STOPPED");
    }

    @Test
    void anUnreachableDaemonIsUnreachable() {
        try (StandbyBackend b = StandbyBackends.installed().create("libvirt",
                Map.of("uri", "test+unix:///default?socket=/nonexistent/libvirt-sock"))) {
            assertThatThrownBy(() -> b.status("test"))
                    .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.UNREACHABLE));
        }
    }

    @Test
    void aBadUriIsInvalidBeforeAnyConnection() {
        assertThatThrownBy(() -> StandbyBackends.installed().create("libvirt", Map.of("uri", "not a uri")))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.INVALID));
    }

    @Test
    void libvirtLxcDefaultsToTheLxcDriver() {
        try (StandbyBackend b = new LibvirtLxcBackendFactory().create(Map.of())) {
            assertThat(b.name()).isEqualTo("libvirt-lxc");
        }
    }
}
