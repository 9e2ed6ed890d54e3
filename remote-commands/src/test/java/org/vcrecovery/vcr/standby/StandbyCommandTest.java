package org.vcrecovery.vcr.standby;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrConsole;

class StandbyCommandTest {
    final VcrConsole console = new VcrConsole();

    private int vcr(String... args) {
        return console.vcr(args);
    }

    @Test
    void anUnknownBackendIsAUsageError() {
        assertThat(vcr("standby", "status", "--backend", "zfs", "web")).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: unknown standby backend 'zfs': known backends are libvirt, libvirt-lxc, lxc, lxd");
    }

    @Test
    void aHostileTargetNameIsAUsageError() {
        assertThat(vcr("standby", "start", "--backend", "lxc", "web; rm -rf /")).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: lxc: invalid standby name 'web; rm -rf /'");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void libvirtTestDriverStatusAndSuspendResumeRoundTrip() {
        String[] uri = {"--backend", "libvirt", "-o", "uri=test:///default"};
        // Each command opens its own connection: test:///default starts fresh with domain "test" running.
        assertThat(vcr(concat(new String[] {"standby", "status"}, uri, new String[] {"test"}))).isZero();
        assertThat(console.out()).isEqualTo("libvirt test RUNNING" + System.lineSeparator());
        assertThat(vcr(concat(new String[] {"standby", "status", "--json"}, uri, new String[] {"nope"})))
                .isEqualTo(ExitCode.SERVICE_DOWN.code());
        assertThat(console.out()).endsWith("{\"backend\":\"libvirt\",\"target\":\"nope\",\"state\":\"ABSENT\"}" + System.lineSeparator());
        assertThat(vcr(concat(new String[] {"standby", "start"}, uri, new String[] {"nope"}))).isEqualTo(2);
        assertThat(console.err()).contains("libvirt: no domain 'nope' at test:///default");
    }

    @Test
    void exitCodesFollowTheErrorCode() {
        assertThat(StandbyCommand.exitCode(StandbyException.Code.TIMEOUT)).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(StandbyCommand.exitCode(StandbyException.Code.UNREACHABLE)).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(StandbyCommand.exitCode(StandbyException.Code.REFUSED)).isEqualTo(ExitCode.REFUSED);
        assertThat(StandbyCommand.exitCode(StandbyException.Code.NOT_FOUND)).isEqualTo(ExitCode.USAGE);
        assertThat(StandbyCommand.exitCode(StandbyException.Code.FAILED)).isEqualTo(ExitCode.FAILED);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
