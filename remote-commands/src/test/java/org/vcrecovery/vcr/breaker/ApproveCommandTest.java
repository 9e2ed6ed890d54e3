package org.vcrecovery.vcr.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.VcrConsole;
import org.vcrecovery.vcr.WebRunbook;
import org.vcrecovery.vcr.recover.DedupLog.Now;

/** {@code vcr approve}: what it records, for how long, and what it refuses; and {@code --plan} showing the breaker. */
class ApproveCommandTest {
    @TempDir
    Path dir;

    final VcrConsole console = new VcrConsole();

    int vcr(String... args) {
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, 1);
        all[1] = "--config";
        all[2] = dir.resolve("vcr.yaml").toString();
        all[3] = "--runbooks=" + dir.resolve("runbooks");
        System.arraycopy(args, 1, all, 4, args.length - 1);
        return console.vcr(all);
    }

    @BeforeEach
    void files() throws Exception {
        WebRunbook.write(dir, "breaker: {limit: 4, window: 90s}\n");
    }

    @Test
    void approvingAServiceLetsItsNextRunThroughOnceWithinFifteenMinutes() throws Exception {
        assertThat(vcr("approve", "--service", "web")).as("%s", console.err()).isZero();
        assertThat(console.out()).startsWith("approved service web until ").contains(" UTC: its next recovery will not be held");
        Approvals a = new Approvals(dir.resolve("state"));
        Now now = Now.system();
        Now later = new Now(now.wall().plus(Duration.ofMinutes(16)), now.boot(), now.uptimeMillis() + 16 * 60_000);
        assertThat(a.take("web", "web-host", later)).as("expired after 15 min").isFalse();

        assertThat(vcr("approve", "--service", "web")).as("%s", console.err()).isZero();
        assertThat(a.take("web", "web-host", Now.system())).isTrue();
        assertThat(a.take("web", "web-host", Now.system())).as("used up").isFalse();
    }

    @Test
    void approvingAHostLetsEveryRunOfItsServicesThroughUntilItExpires() throws Exception {
        assertThat(vcr("approve", "--host", "web-host")).as("%s", console.err()).isZero();
        Approvals a = new Approvals(dir.resolve("state"));
        assertThat(a.take("web", "web-host", Now.system())).isTrue();
        assertThat(a.take("api", "web-host", Now.system())).isTrue();
        assertThat(a.take("db", "db-host", Now.system())).isFalse();
    }

    @Test
    void anUnknownServiceOrAHostileNameIsOneLineExitTwoAndNothingIsRecorded() {
        assertThat(vcr("approve", "--service", "nope")).as("%s", console.err()).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: no runbook 'nope' in ");
        assertThat(vcr("approve", "--host", "../../etc/passwd")).as("%s", console.err()).isEqualTo(2);
        assertThat(console.err()).contains("--host '../../etc/passwd' is not a Zabbix technical host name");
        assertThat(vcr("approve", "--service", "web", "--host", "web-host")).as("%s", console.err()).isEqualTo(2);
        assertThat(dir.resolve("state/breaker/approved")).doesNotExist();
    }

    @Test
    void thePlanShowsLimitWindowCurrentCountAndKillSwitch() throws Exception {
        new FailureWindow(dir.resolve("state")).admit("db", "7", false,
                new org.vcrecovery.vcr.config.VcrConfig.Breaker(4, Duration.ofSeconds(90)), Now.system());
        Files.writeString(dir.resolve("state/disabled"), "maintenance week\n");
        assertThat(vcr("recover", "--runbook", "web", "--plan")).as("%s", console.err()).isZero();
        assertThat(console.out())
                .contains("Circuit breaker: an automatic run (with an event) is held, exit 15, once 4 other services failed"
                        + " inside 90 s; 1 service failed inside the window now.")
                .contains("Kill switch: ON: automatic recovery is switched off (" + dir.resolve("state/disabled")
                        + " exists: maintenance week)");
    }

    @Test
    void heldWithoutAZabbixApiOrWithOneThatDoesNotAnswerApprovesNothing() throws Exception {
        assertThat(vcr("approve", "--held")).as("%s", console.err()).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: --held reads the held problems from the Zabbix API, and vcr.yaml has no zabbix section");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("vcr.yaml"), "state-dir: " + dir.resolve("state") + "\nzabbix:\n  url: http://127.0.0.1:" + closed
                + "/api_jsonrpc.php\n  token-file: " + token + "\n  timeout: 2s\n  version: \"7.0\"\n");
        console.clear();
        assertThat(vcr("approve", "--held")).as("%s", console.err()).isEqualTo(3);
        assertThat(console.err()).startsWith("vcr: asking Zabbix for the held problems: ").contains("nothing was approved")
                .doesNotContain("0123456789abcdef");
        assertThat(console.out()).isEmpty();
        assertThat(dir.resolve("state/breaker/approved")).doesNotExist();
    }

    @Test
    void heldGoesWithNoOtherTarget() {
        assertThat(vcr("approve", "--held", "--service", "web")).isEqualTo(2);
        assertThat(dir.resolve("state/breaker/approved")).doesNotExist();
    }
}
