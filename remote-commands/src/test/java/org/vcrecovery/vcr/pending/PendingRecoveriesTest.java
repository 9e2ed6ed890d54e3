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
import picocli.CommandLine;

/**
 * {@code vcr recover --pending} refuses what it cannot do before it asks anything: an event, host
 * or runbook on its command line (it reads those from Zabbix only), no Zabbix API configured; and
 * a Zabbix API that does not answer is exit 3, never "nothing pending". Against the real Zabbix:
 * RecoverPendingIT.
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
            {"--standby", "warm"}, {"--failback"}}) {
            String[] args = new String[3 + extra.length + 1];
            args[0] = "recover";
            args[1] = "--config";
            args[2] = cfg.toString();
            System.arraycopy(extra, 0, args, 3, extra.length);
            args[args.length - 1] = "--pending";
            console.clear();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(console.err()).startsWith("vcr: --pending takes no --runbook, --event-id, --trigger-host, --vm, --standby or --failback");
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
}
