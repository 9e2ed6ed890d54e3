package org.vcrecovery.vcr.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StandbyBackendsTest {

    /** A factory that records nothing and creates a backend that does nothing. */
    record FakeFactory(String name) implements StandbyBackendFactory {
        @Override
        public Set<Guest> guests() {
            return Set.of(Guest.CONTAINER);
        }

        @Override
        public StandbyBackend create(Map<String, String> config) {
            return new StandbyBackend() {
                public String name() {
                    return FakeFactory.this.name;
                }

                public StandbyState status(String target) {
                    return StandbyState.ABSENT;
                }

                public void start(String target, Duration timeout) { }

                public void stop(String target, Duration timeout) { }

                public Optional<String> address(String target) {
                    return Optional.empty();
                }

                public List<StandbyInfo> list() {
                    return List.of();
                }

                public void close() { }
            };
        }

        @Override
        public Set<String> configKeys() {
            return Set.of("path", "token");
        }

        @Override
        public Set<String> secretKeys() {
            return Set.of("token");
        }
    }

    @Test
    void theInstalledBackendsAreFoundByName() {
        StandbyBackends installed = StandbyBackends.installed();
        assertThat(installed.names()).containsExactly("libvirt", "libvirt-lxc", "lxc", "lxd");
        assertThat(installed.factory("lxc").name()).isEqualTo("lxc");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        StandbyBackends r = StandbyBackends.of(List.of(new FakeFactory("a"), new FakeFactory("b")));
        assertThatThrownBy(() -> r.factory("zfs"))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.INVALID))
                .hasMessage("unknown standby backend 'zfs': known backends are a, b");
    }

    @Test
    void aDuplicateNameFailsAtLookupNamingBothClasses() {
        StandbyBackends r = StandbyBackends.of(List.of(new FakeFactory("a"), new FakeFactory("a"), new FakeFactory("b")));
        assertThatThrownBy(() -> r.factory("a"))
                .isInstanceOf(StandbyException.class)
                .hasMessageContaining("standby backend 'a' is registered more than once")
                .hasMessageContaining(FakeFactory.class.getName() + " and " + FakeFactory.class.getName());
        assertThat(r.factory("b").name()).isEqualTo("b");
    }

    @Test
    void anUnknownOptionIsRejectedNamingTheAcceptedOnes() {
        StandbyBackends r = StandbyBackends.of(List.of(new FakeFactory("a")));
        assertThatThrownBy(() -> r.create("a", Map.of("pth", "/x")))
                .hasMessage("standby backend 'a' has no option 'pth': it accepts path, token");
        assertThat(r.create("a", Map.of("path", "/x")).name()).isEqualTo("a");
    }

    @Test
    void secretOptionsAreRedacted() {
        String shown = StandbyBackends.redacted(new FakeFactory("a"), Map.of("path", "/x", "token", "s3cret"));
        assertThat(shown).isEqualTo("{path=/x, token=***}").doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "web-cold.1", "A_b", "0", "x123456789012345678901234567890123456789012345678901234567890123"})
    void validTargetNamesPass(String name) {
        assertThat(StandbyBackends.requireValidTarget("lxc", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-rf", ".hidden", "a b", "a;rm -rf /", "$(reboot)", "../etc", "a/b", "x\nb", "ü",
        "x1234567890123456789012345678901234567890123456789012345678901234"})
    void invalidTargetNamesAreRejectedWithoutRunningAnything(String name) {
        assertThatThrownBy(() -> StandbyBackends.requireValidTarget("lxc", name))
                .isInstanceOfSatisfying(StandbyException.class, e -> assertThat(e.code()).isEqualTo(StandbyException.Code.INVALID))
                .hasMessageStartingWith("lxc: invalid standby name '")
                .hasMessageNotContaining("\n");
    }
}
