package org.vcrecovery.listener.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.vcrecovery.listener.Pipeline;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;
import org.vcrecovery.listener.VmState;
import org.vcrecovery.listener.spool.Spool;
import org.vcrecovery.listener.spool.SpoolRecord;
import org.vcrecovery.listener.spool.SpoolReader;

/** libvirt's in-process test driver (test:///default): no daemon needed. */
class LibvirtSourceTest {
    @TempDir
    Path dir;

    @Test
    void pollsDiscoverTheDomainsAndEventsArriveWithTheirDetail() throws Exception {
        Stats stats = new Stats();
        try (Spool spool = Spool.open(dir, 16 << 20, false, 4096, stats)) {
            Pipeline pipeline = new Pipeline(spool, stats, Map.of("test:///default", "kvm-test"), "x");
            SpoolReader reader = spool.reader();
            List<TrapperValue> seen = new ArrayList<>();
            LibvirtSource source = new LibvirtSource("test:///default", pipeline, stats, Duration.ofSeconds(1), Duration.ofSeconds(2));
            source.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> drain(reader, seen).stream()
                        .anyMatch(v -> v.key().equals("vcr.vm.discovery") && v.value().contains("\"{#VM.NAME}\":\"test\"")));
                Connect c = new Connect("test:///default");
                try {
                    Domain d = c.domainLookupByName("test");
                    d.suspend();
                    await().atMost(Duration.ofSeconds(10)).until(() -> drain(reader, seen).stream()
                            .anyMatch(v -> v.key().equals("vcr.vm.event[test]") && v.value().equals("SUSPENDED PAUSED")));
                    d.resume();
                    await().atMost(Duration.ofSeconds(10)).until(() -> drain(reader, seen).stream()
                            .anyMatch(v -> v.key().equals("vcr.vm.event[test]") && v.value().startsWith("RESUMED")));
                    // A later poll reports the CPU of the running domain.
                    await().atMost(Duration.ofSeconds(10)).until(() -> drain(reader, seen).stream()
                            .anyMatch(v -> v.key().equals("vcr.vm.cpu[test]")));
                    d.free();
                } finally {
                    c.close();
                }
                assertThat(seen).allMatch(v -> v.host().equals("kvm-test"));
                assertThat(stats.libvirtEvents.sum()).isGreaterThanOrEqualTo(2);
            } finally {
                source.close();
            }
        }
    }

    @Test
    void eventsMapToStatesAndText() {
        assertThat(Lifecycle.stateAfter(DomainEventType.STOPPED)).isEqualTo(VmState.SHUTOFF);
        assertThat(Lifecycle.stateAfter(DomainEventType.CRASHED)).isEqualTo(VmState.CRASHED);
        assertThat(Lifecycle.stateAfter(DomainEventType.SUSPENDED)).isEqualTo(VmState.PAUSED);
        assertThat(Lifecycle.stateAfter(DomainEventType.STARTED)).isEqualTo(VmState.RUNNING);
        assertThat(Lifecycle.stateAfter(DomainEventType.DEFINED)).isNull();
        assertThat(Lifecycle.text(new DomainEvent(DomainEventType.STOPPED, 1))).isEqualTo("STOPPED DESTROYED");
        assertThat(Lifecycle.text(new DomainEvent(DomainEventType.SUSPENDED, 2))).isEqualTo("SUSPENDED IOERROR");
    }

    @Test
    void cpuPercentComesFromCpuTimeDeltasPerVcpu() {
        CpuMeter m = new CpuMeter();
        assertThat(m.percent("a", 1_000_000_000L, 2, 0)).isNaN();
        // 1 s of CPU over 1 s of wall time on 2 vCPUs = 50 %.
        assertThat(m.percent("a", 2_000_000_000L, 2, 1_000_000_000L)).isEqualTo(50.0);
        assertThat(m.percent("a", 1_000L, 2, 2_000_000_000L)).isNaN(); // restarted: cpuTime went down
        assertThat(m.percent("a", 10_000_000_000L, 1, 3_000_000_000L)).isEqualTo(100.0); // clamped
    }

    private static List<TrapperValue> drain(SpoolReader r, List<TrapperValue> into) throws Exception {
        List<SpoolRecord> b;
        while (!(b = r.read(1000)).isEmpty()) b.forEach(x -> into.add(x.value()));
        return into;
    }
}
