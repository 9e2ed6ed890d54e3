package org.vcrecovery.vcr.pending;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.VcrConsole;
import org.vcrecovery.vcr.WebRunbook;
import picocli.CommandLine;

/**
 * {@code vcr recover --pending} refuses what it cannot do before it asks anything: an event, host
 * or runbook on its command line (it reads those from Zabbix only), no Zabbix API configured; and
 * a Zabbix API that does not answer is exit 3, never "nothing pending"; a standby chosen in the
 * host menu ({@code --standby}) that no runbook here has, or that is not a plain name, is exit 2
 * before Zabbix is asked. Against the real Zabbix: RecoverPendingIT, AgentServerIT.
 */
class PendingRecoveriesTest {
    @TempDir
    Path dir;
    final VcrConsole console = new VcrConsole();

    int run(String... args) {
        return console.vcr(args);
    }

    Path config(String zabbix) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "0123456789abcdef\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        return Files.writeString(dir.resolve("vcr.yaml"), (zabbix == null ? "" : "zabbix:\n  url: " + zabbix + "\n  token-file: " + token
                + "\n  timeout: 2s\n  version: \"6.0\"\n") + "state-dir: " + dir.resolve("state") + "\nrunbooks: " + dir + "\n");
    }

    @Test
    void anEventHostOrRunbookOnTheCommandLineIsRefused() throws Exception {
        Path cfg = config(null);
        for (String[] extra : new String[][] {{"--event-id", "5"}, {"--trigger-host", "kvm1"}, {"--vm", "web"}, {"--runbook", "web"},
            {"--failback"}}) {
            String[] args = new String[3 + extra.length + 1];
            args[0] = "recover";
            args[1] = "--config";
            args[2] = cfg.toString();
            System.arraycopy(extra, 0, args, 3, extra.length);
            args[args.length - 1] = "--pending";
            console.clear();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(console.err()).startsWith("vcr: --pending takes no --runbook, --event-id, --trigger-host, --vm or --failback");
        }
        assertThat(console.out()).isEmpty();
    }

    @Test
    void withoutAZabbixApiInTheConfigItSaysWhatIsMissing() throws Exception {
        assertThat(run("recover", "--config", config(null).toString(), "--pending")).isEqualTo(2);
        assertThat(console.err()).contains("--pending reads the pending problems from the Zabbix API, and vcr.yaml has no zabbix section");
    }

    @Test
    void aZabbixApiThatDoesNotAnswerIsExitThreeNotNothingPending() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(run("recover", "--config", config("http://127.0.0.1:" + closed + "/api_jsonrpc.php").toString(), "--pending")).isEqualTo(3);
        assertThat(console.err()).startsWith("vcr: asking Zabbix for the pending problems: ").contains("nothing was changed")
                .doesNotContain("0123456789abcdef");
        assertThat(console.out()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "--standby {0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "web-hot|--standby web-hot: no runbook in %s has that standby (standbys here: web-cold, web-warm); nothing was changed",
        "'web-warm;touch /tmp/x'|--standby: 'web-warm;touch /tmp/x' is not a valid name",
        "'web-warm $(id)'|(contains a space, a shell metacharacter: refused)",
        "{MANUALINPUT}|--standby '{MANUALINPUT}' names no standby: with --pending it is the host menu's choice",
        "''|--standby '' names no standby"})
    void aStandbyChoiceNoRunbookHereHasIsRefusedBeforeZabbixIsAsked(String standby, String message) throws Exception {
        Path runbooks = WebRunbook.runbooks(dir, WebRunbook.WITH_COLD);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path cfg = config("http://127.0.0.1:" + closed + "/api_jsonrpc.php");
        assertThat(run("recover", "--config", cfg.toString(), "--runbooks", runbooks.toString(), "--pending", "--standby=" + standby))
                .as(console.err()).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: ").contains(message.formatted(runbooks)).doesNotContain("asking Zabbix");
        assertThat(console.err().lines().count()).as("one line").isEqualTo(1);
        assertThat(console.out()).isEmpty();
    }

    @Test
    void aStandbyARunbookHereHasGoesOnToAskZabbix() throws Exception {
        Path runbooks = WebRunbook.runbooks(dir, WebRunbook.WITH_COLD);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path cfg = config("http://127.0.0.1:" + closed + "/api_jsonrpc.php");
        assertThat(run("recover", "--config", cfg.toString(), "--runbooks", runbooks.toString(), "--pending", "--standby", "web-cold"))
                .isEqualTo(3);
        assertThat(console.err()).startsWith("vcr: asking Zabbix for the pending problems: ");
    }
}
