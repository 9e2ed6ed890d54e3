package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.listener.snmp.DecodedTrap;
import org.vcrecovery.listener.spool.Spool;
import org.vcrecovery.listener.spool.SpoolReader;
import org.vcrecovery.listener.spool.SpoolRecord;

class PipelineTest {
    static final Instant AT = Instant.parse("2026-11-22T00:00:00.123456789Z");
    @TempDir
    Path dir;
    final Stats stats = new Stats();
    Spool spool;
    SpoolReader reader;
    Pipeline pipeline;

    @BeforeEach
    void open() throws Exception {
        spool = Spool.open(dir, 16 << 20, false, 4096, stats);
        reader = spool.reader();
        pipeline = new Pipeline(spool, stats, Map.of("10.0.0.1", "kvm1", "qemu:///system", "kvm1"), "other");
    }

    @AfterEach
    void close() throws Exception {
        spool.close();
    }

    List<TrapperValue> values() throws Exception {
        spool.append(TrapperValue.at(AT, "sync", "sync", "")).get();
        List<TrapperValue> out = new ArrayList<>();
        List<SpoolRecord> b;
        while (!(b = reader.read(100)).isEmpty()) b.forEach(r -> out.add(r.value()));
        out.removeIf(v -> v.host().equals("sync"));
        return out;
    }

    VmStateChange change(String source, String vm, VmState s, String detail) {
        return new VmStateChange(source, vm, "", s, detail, AT);
    }

    @Test
    void aNewVmGetsADiscoveryValueBeforeItsStateAndAKnownOneDoesNot() throws Exception {
        pipeline.trap(new DecodedTrap.StateChange(change("10.0.0.1", "web1", VmState.RUNNING, "RUNNING")));
        pipeline.trap(new DecodedTrap.StateChange(change("10.0.0.1", "web1", VmState.SHUTOFF, "SHUTOFF")));
        pipeline.trap(new DecodedTrap.StateChange(change("10.0.0.1", "db", VmState.PAUSED, "PAUSED")));
        assertThat(values()).extracting(TrapperValue::host, TrapperValue::key, TrapperValue::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("kvm1", "vcr.vm.discovery", "[{\"{#VM.NAME}\":\"web1\",\"{#VM.UUID}\":\"\"}]"),
                org.assertj.core.groups.Tuple.tuple("kvm1", "vcr.vm.state[web1]", "1"),
                org.assertj.core.groups.Tuple.tuple("kvm1", "vcr.vm.state[web1]", "5"),
                org.assertj.core.groups.Tuple.tuple("kvm1", "vcr.vm.discovery",
                        "[{\"{#VM.NAME}\":\"db\",\"{#VM.UUID}\":\"\"},{\"{#VM.NAME}\":\"web1\",\"{#VM.UUID}\":\"\"}]"),
                org.assertj.core.groups.Tuple.tuple("kvm1", "vcr.vm.state[db]", "3"));
        assertThat(values()).isEmpty();
    }

    @Test
    void aLibvirtEventAlsoSendsItsTextAndKeepsTheTimeItHappened() throws Exception {
        pipeline.stateChange(change("qemu:///system", "web1", VmState.SHUTOFF, "STOPPED DESTROYED"), true);
        List<TrapperValue> v = values();
        assertThat(v).extracting(TrapperValue::key).containsExactly("vcr.vm.discovery", "vcr.vm.state[web1]", "vcr.vm.event[web1]");
        assertThat(v.get(2).value()).isEqualTo("STOPPED DESTROYED");
        assertThat(v.get(2).clock()).isEqualTo(AT.getEpochSecond());
        assertThat(v.get(2).ns()).isEqualTo(123456789);
    }

    @Test
    void theInventoryOfASourceReplacesItsVmsAndOnlyAChangeSendsDiscovery() throws Exception {
        pipeline.inventory("qemu:///system", Map.of("a", "u-a", "b", "u-b"), AT);
        pipeline.inventory("qemu:///system", Map.of("a", "u-a", "b", "u-b"), AT);
        pipeline.inventory("qemu:///system", Map.of("a", "u-a"), AT);
        assertThat(values()).extracting(TrapperValue::value).containsExactly(
                "[{\"{#VM.NAME}\":\"a\",\"{#VM.UUID}\":\"u-a\"},{\"{#VM.NAME}\":\"b\",\"{#VM.UUID}\":\"u-b\"}]",
                "[{\"{#VM.NAME}\":\"a\",\"{#VM.UUID}\":\"u-a\"}]");
    }

    @Test
    void unknownAndInvalidTrapsGoToTheFallbackItemAndAreCounted() throws Exception {
        pipeline.trap(new DecodedTrap.Unknown("10.9.9.9", "1.3.6.1.4.1.9.0.1", "v2c TRAP from 10.9.9.9: x"));
        pipeline.trap(new DecodedTrap.Invalid("10.0.0.1", "libvirtGuestState missing", "v2c TRAP from 10.0.0.1: y"));
        List<TrapperValue> v = values();
        assertThat(v).extracting(TrapperValue::host, TrapperValue::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("other", "vcr.trap.unknown"),
                org.assertj.core.groups.Tuple.tuple("kvm1", "vcr.trap.unknown"));
        assertThat(v.get(1).value()).startsWith("INVALID (libvirtGuestState missing)");
        assertThat(stats.trapsUnknown.sum()).isEqualTo(1);
        assertThat(stats.trapsInvalid.sum()).isEqualTo(1);
    }

    @Test
    void selfMonitoringSendsEveryCounterUnderItsDocumentedKey() throws Exception {
        stats.trapsReceived.add(7);
        new SelfMonitor(pipeline, stats, spool, "kvm1").report();
        assertThat(values()).extracting(TrapperValue::key).containsExactly(
                "vcr.listener.traps.received", "vcr.listener.traps.invalid", "vcr.listener.traps.unknown",
                "vcr.listener.values.sent", "vcr.listener.values.failed", "vcr.listener.values.spooled",
                "vcr.listener.values.dropped", "vcr.listener.spool.bytes", "vcr.listener.last.event.age",
                "vcr.listener.heartbeat");
    }

    @Test
    void vmNamesThatNeedQuotingInAKeyAreQuotedTheWayZabbixExpandsThem() {
        assertThat(ItemKeys.vmState("web1")).isEqualTo("vcr.vm.state[web1]");
        assertThat(ItemKeys.vmState("a,b")).isEqualTo("vcr.vm.state[\"a,b\"]");
        assertThat(ItemKeys.vmCpu("x]y")).isEqualTo("vcr.vm.cpu[\"x]y\"]");
        assertThat(ItemKeys.vmEvent("\"q")).isEqualTo("vcr.vm.event[\"\\\"q\"]");
    }
}
