package org.vcrecovery.zabbix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZabbixVersionTest {

    static Stream<Arguments> versions() {
        return Stream.of(
                Arguments.of("5.2.7", false, false, false),
                Arguments.of("5.4.0", false, true, false),
                Arguments.of("6.0.14", false, true, false),
                Arguments.of("6.2.9", false, true, true),
                Arguments.of("6.4.0", true, true, true),
                Arguments.of("7.0.5", true, true, true),
                Arguments.of("7.2.0rc1", true, true, true));
    }

    @ParameterizedTest(name = "{0}: bearer header {1}, username login {2}, template groups {3}")
    @MethodSource("versions")
    void behaviourFollowsTheVersion(String text, boolean bearer, boolean username, boolean templateGroups) {
        ZabbixVersion v = ZabbixVersion.parse(text);
        assertThat(v.usesBearerHeader()).isEqualTo(bearer);
        assertThat(v.loginTakesUsername()).isEqualTo(username);
        assertThat(v.hasSeparateTemplateGroups()).isEqualTo(templateGroups);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"6.0.14 < 6.0.15", "6.0.40 < 6.2.0", "6.4.9 < 7.0.0", "6.4 < 6.4.1"})
    void versionsAreOrdered(String pair) {
        String[] p = pair.split(" < ");
        assertThat(ZabbixVersion.parse(p[0])).isLessThan(ZabbixVersion.parse(p[1]));
        assertThat(ZabbixVersion.parse(p[1])).isGreaterThan(ZabbixVersion.parse(p[0]));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "six", "6", "<html>"})
    void nonVersionsAreRefused(String text) {
        assertThatThrownBy(() -> ZabbixVersion.parse(text)).hasMessageContaining("not a Zabbix version");
    }
}
