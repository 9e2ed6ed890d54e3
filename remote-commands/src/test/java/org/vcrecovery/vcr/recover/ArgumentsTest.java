package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;

class ArgumentsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "{EVENT.TAGS.vm}", "{HOST.HOST}", "*UNKNOWN*", "{$VCR.VM}", "{EVENT.TAGS.vm:regsub}"})
    void unresolvedMacrosAndBlanksCountAsAbsent(String value) {
        assertThat(Arguments.absent(value)).isTrue();
        assertThat(Arguments.name("--vm", value)).isNull();
        assertThat(Arguments.eventId(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-vm", "web.example.test", "a", "VM_01"})
    void plainNamesPass(String value) {
        assertThat(Arguments.name("--vm", value)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x; rm -rf /|';'",
        "$(reboot)|'$'",
        "a`id`|'`'",
        "a b|a space",
        "-rf|is not a valid name",
        "{EVENT.TAGS.vm}x|'{'"})
    void shellMetacharactersAreRefusedWithUsageNamingTheCharacter(String value, String expected) {
        assertThatThrownBy(() -> Arguments.name("--trigger-host", value))
                .isInstanceOf(VcrException.class)
                .satisfies(e -> assertThat(((VcrException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith("--trigger-host: '")
                .hasMessageContaining(expected)
                .hasMessageEndingWith("nothing was changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12a", "-1", "1;2", "99999999999999999999999"})
    void eventIdsAreDigitsOnly(String value) {
        assertThatThrownBy(() -> Arguments.eventId(value)).isInstanceOf(VcrException.class)
                .hasMessageContaining("--event-id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "/etc/vcrecovery/runbooks/web.yaml", "runbooks/web.yml"})
    void runbooksAreNamesOrPlainPaths(String value) {
        assertThat(Arguments.runbook(value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web;id", "../x y.yaml", "$HOME/web.yaml"})
    void runbookPathsWithMetacharactersAreRefused(String value) {
        assertThatThrownBy(() -> Arguments.runbook(value)).isInstanceOf(VcrException.class).hasMessageContaining("--runbook");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\u001bb"})
    void controlCharactersAreNeverEchoed(String value) {
        assertThatThrownBy(() -> Arguments.name("--vm", value)).hasMessageContaining("'a?b'").hasMessageContaining("control character");
    }
}
