package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrapListenerTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TrapListener());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            int code = cl.execute(args);
            return new Run(code, out.toString(), err + captured.toString());
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheFlagsAndTheExitCodes() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--config", "--snmp-listen", "--zabbix", "--host-map", "--libvirt", "--spool",
                "--poll-interval", "Exit codes", "configuration error").doesNotContain("--community");
    }

    @Test
    void aCommunityOnTheCommandLineIsRefusedWithExit2BecauseEveryLocalUserCanReadIt() {
        Run r = run("--community", "s3cret", "--snmp-listen", "127.0.0.1:0", "--spool", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--community: not accepted on the command line").doesNotContain("s3cret");
    }

    @Test
    void withoutACommunityOrV3UserTheListenerDoesNotStartAndNamesTheField() {
        Run r = run("--snmp-listen", "127.0.0.1:0", "--spool", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("vcr-trap-listener: config: snmp.communities: none configured").doesNotContain("\n");
    }

    @Test
    void versionPrintsOneLine() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("vcr-trap-listener ");
    }

    @Test
    void aBadFlagValueExitsWith2AndNamesTheFlagWithoutStarting() {
        Run r = run("--snmp-listen", "off", "--zabbix", "nohostport", "--spool", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--zabbix: 'nohostport' is not HOST:PORT");
    }

    @Test
    void aBadConfigFileKeyExitsWith2AndNamesTheKey() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "snmp:\n  listen: 'off'\nspool:\n  max-bytes: huge\n");
        Run r = run("--config", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("spool.max-bytes:");
    }
}
