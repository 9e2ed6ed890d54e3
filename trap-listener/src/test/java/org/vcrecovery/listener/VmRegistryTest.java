package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.listener.snmp.DecodedTrap;
import org.vcrecovery.listener.spool.Spool;
import org.vcrecovery.listener.spool.SpoolRecord;

/** The VM inventory behind vcr.vm.discovery: correct JSON for any name, bounded, cheap under a burst. */
class VmRegistryTest {
    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"say \"hi\"", "back\\slash", "tab\tnew\nline\rcr", "bell\u0007nul\u0000esc\u001bdel\u007f",
            "\u2028line-sep", "ünïcødé ✓", "{#VM.NAME}", "]\",\\"})
    void anyVmNameComesBackUnchangedFromTheDiscoveryJson(String name) throws Exception {
        VmRegistry r = new VmRegistry(10);
        assertThat(r.observe("kvm1", "10.0.0.1", name, "")).isEqualTo(VmRegistry.Outcome.CHANGED);
        JsonNode rows = new ObjectMapper().readTree(r.json("kvm1"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("{#VM.NAME}").asText()).isEqualTo(name);
        assertThat(rows.get(0).get("{#VM.UUID}").asText()).isEmpty();
    }

    @Test
    void pastTheBoundATrapAddsNoNewVmButLibvirtsListIsStillTaken() {
        VmRegistry r = new VmRegistry(2);
        assertThat(r.observe("kvm1", "10.0.0.1", "a", "")).isEqualTo(VmRegistry.Outcome.CHANGED);
        assertThat(r.observe("kvm1", "10.0.0.1", "b", "")).isEqualTo(VmRegistry.Outcome.CHANGED);
        assertThat(r.observe("kvm1", "10.0.0.1", "c", "")).isEqualTo(VmRegistry.Outcome.FULL);
        assertThat(r.observe("kvm2", "10.0.0.2", "a", "")).isEqualTo(VmRegistry.Outcome.FULL);
        assertThat(r.observe("kvm1", "10.0.0.9", "a", "")).as("known to the host already").isEqualTo(VmRegistry.Outcome.UNCHANGED);
        assertThat(r.replace("kvm1", "qemu:///system", Map.of("c", "u-c", "d", "u-d"))).isTrue();
        assertThat(r.json("kvm1")).contains("\"a\"", "\"b\"", "\"c\"", "\"d\"");
        assertThat(r.size()).isEqualTo(4);
        assertThat(r.replace("kvm1", "qemu:///system", Map.of())).isTrue();
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.json("kvm1")).doesNotContain("\"c\"");
    }

    @Test
    void aUuidLearnedLaterChangesDiscoveryOnceAndAnotherSourceRepeatingAKnownVmDoesNot() {
        VmRegistry r = new VmRegistry(10);
        r.observe("kvm1", "10.0.0.1", "a", "");
        assertThat(r.observe("kvm1", "10.0.0.1", "a", "")).isEqualTo(VmRegistry.Outcome.UNCHANGED);
        assertThat(r.observe("kvm1", "10.0.0.1", "a", "u-a")).isEqualTo(VmRegistry.Outcome.CHANGED);
        assertThat(r.observe("kvm1", "10.0.0.1", "a", "u-a")).isEqualTo(VmRegistry.Outcome.UNCHANGED);
        assertThat(r.observe("kvm1", "10.0.0.2", "a", "")).isEqualTo(VmRegistry.Outcome.UNCHANGED);
        assertThat(r.json("kvm1")).isEqualTo("[{\"{#VM.NAME}\":\"a\",\"{#VM.UUID}\":\"u-a\"}]");
    }

    @Test
    void pastTheBoundATrapsValueIsStillForwardedButItsVmIsNotDiscovered() throws Exception {
        Stats stats = new Stats();
        try (Spool spool = Spool.open(dir, 16 << 20, false, 4096, stats)) {
            Pipeline p = new Pipeline(spool, stats, new HostResolver(Map.of(), "kvm1", null), 1, Duration.ZERO);
            Instant at = Instant.now();
            p.trap(new DecodedTrap.StateChange(new VmStateChange("10.0.0.1", "first", "", VmState.RUNNING, "", at)));
            p.trap(new DecodedTrap.StateChange(new VmStateChange("10.0.0.1", "second", "", VmState.CRASHED, "", at)));
            p.rediscover();
            spool.append(TrapperValue.at(at, "sync", "sync", "")).get();
            List<String> got = new ArrayList<>();
            var reader = spool.reader();
            List<SpoolRecord> b;
            while (!(b = reader.read(1000)).isEmpty()) for (SpoolRecord rec : b) got.add(rec.value().key() + "=" + rec.value().value());
            assertThat(got).containsExactly("vcr.vm.discovery=[{\"{#VM.NAME}\":\"first\",\"{#VM.UUID}\":\"\"}]",
                    "vcr.vm.state[first]=1", "vcr.vm.state[second]=6",
                    "vcr.vm.discovery=[{\"{#VM.NAME}\":\"first\",\"{#VM.UUID}\":\"\"}]", "sync=");
        }
    }

    @Test
    void aBurstOfNewVmsSendsOneDiscoveryAtOnceAndOneMoreListingThemAllInsteadOfOnePerVm() throws Exception {
        Stats stats = new Stats();
        try (Spool spool = Spool.open(dir, 64 << 20, false, 4096, stats)) {
            Pipeline p = new Pipeline(spool, stats, new HostResolver(Map.of(), "kvm1", null), 10_000, Duration.ofHours(1));
            Instant at = Instant.now();
            for (int i = 0; i < 2000; i++) {
                p.trap(new DecodedTrap.StateChange(new VmStateChange("10.0.0.1", "burst-" + i, "", VmState.CRASHED, "", at)));
            }
            p.flushDiscovery();
            p.flushDiscovery(); // nothing pending any more
            spool.append(TrapperValue.at(at, "sync", "sync", "")).get();
            List<TrapperValue> discovery = new ArrayList<>();
            int states = 0;
            var reader = spool.reader();
            List<SpoolRecord> b;
            while (!(b = reader.read(1000)).isEmpty()) {
                for (SpoolRecord rec : b) {
                    if (rec.value().key().equals(ItemKeys.VM_DISCOVERY)) discovery.add(rec.value());
                    else if (rec.value().key().startsWith("vcr.vm.state[")) states++;
                }
            }
            assertThat(states).isEqualTo(2000);
            assertThat(discovery).hasSize(2);
            assertThat(new ObjectMapper().readTree(discovery.get(0).value())).hasSize(1);
            assertThat(new ObjectMapper().readTree(discovery.get(1).value())).hasSize(2000);
        }
    }
}
