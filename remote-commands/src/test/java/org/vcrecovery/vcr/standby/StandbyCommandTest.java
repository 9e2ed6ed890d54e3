package org.vcrecovery.vcr.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.Vcr;
import picocli.CommandLine;

class StandbyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vcr(String... args) {
        CommandLine cl = Vcr.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void anUnknownBackendIsAUsageError() {
        assertThat(vcr("standby", "status", "--backend", "zfs", "web")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vcr: unknown standby backend 'zfs': known backends are libvirt, libvirt-lxc, lxc, lxd");
    }

    @Test
    void aHostileTargetNameIsAUsageError() {
        assertThat(vcr("standby", "start", "--backend", "lxc", "web; rm -rf /")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vcr: lxc: invalid standby name 'web; rm -rf /'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void libvirtTestDriverStatusAndSuspendResumeRoundTrip() {
        String[] uri = {"--backend", "libvirt", "-o", "uri=test:///default"};
        // Each command opens its own connection: test:///default starts fresh with domain "test" running.
        assertThat(vcr(concat(new String[] {"standby", "status"}, uri, new String[] {"test"}))).isZero();
        assertThat(out.toString()).isEqualTo("libvirt test RUNNING" + System.lineSeparator());
        assertThat(vcr(concat(new String[] {"standby", "status", "--json"}, uri, new String[] {"nope"})))
                .isEqualTo(ExitCode.SERVICE_DOWN.code());
        assertThat(out.toString()).endsWith("{\"backend\":\"libvirt\",\"target\":\"nope\",\"state\":\"ABSENT\"}" + System.lineSeparator());
        assertThat(vcr(concat(new String[] {"standby", "start"}, uri, new String[] {"nope"}))).isEqualTo(2);
        assertThat(err.toString()).contains("libvirt: no domain 'nope' at test:///default");
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
