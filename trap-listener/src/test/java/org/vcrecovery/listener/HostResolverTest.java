package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostResolverTest {
    final List<String> lookups = new ArrayList<>();

    HostResolver resolver(Map<String, List<String>> zabbix) {
        return new HostResolver(Map.of("10.0.0.1", "kvm1", "qemu:///system", "kvm1"), "fallback", ip -> {
            lookups.add(ip);
            if (ip.equals("10.0.0.66")) throw new java.io.IOException("api down");
            return zabbix.getOrDefault(ip, List.of());
        });
    }

    @Test
    void theMapWinsThenTheApiThenTheDefault() {
        HostResolver r = resolver(Map.of("10.0.0.2", List.of("kvm2")));
        assertThat(r.hostFor("10.0.0.1")).isEqualTo("kvm1");
        assertThat(r.hostFor("qemu:///system")).isEqualTo("kvm1");
        assertThat(r.hostFor("10.0.0.2")).isEqualTo("kvm2");
        assertThat(r.hostFor("10.0.0.3")).isEqualTo("fallback");
        assertThat(r.hostFor("qemu+ssh://x/system")).isEqualTo("fallback");
        assertThat(lookups).containsExactly("10.0.0.2", "10.0.0.3");
    }

    @Test
    void aLookupIsMadeOnceAndAFailureFallsBackToTheDefault() {
        HostResolver r = resolver(Map.of("10.0.0.2", List.of("kvm2", "kvm2-old")));
        for (int i = 0; i < 5; i++) assertThat(r.hostFor("10.0.0.2")).isEqualTo("kvm2");
        for (int i = 0; i < 5; i++) assertThat(r.hostFor("10.0.0.66")).isEqualTo("fallback");
        assertThat(lookups).containsExactly("10.0.0.2", "10.0.0.66");
    }

    @Test
    void withoutTheApiOnlyTheMapAndTheDefaultCount() {
        HostResolver r = new HostResolver(Map.of("10.0.0.1", "kvm1"), "fallback", null);
        assertThat(r.hostFor("10.0.0.1")).isEqualTo("kvm1");
        assertThat(r.hostFor("10.0.0.2")).isEqualTo("fallback");
    }
}
