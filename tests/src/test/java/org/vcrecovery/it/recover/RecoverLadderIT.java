package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.Script;

/**
 * The recovery ladder's first rung against the real Zabbix: {@code restart-service} runs a
 * global script through {@code script.execute} on the sandbox agent's host, which starts the
 * primary's service again; vcr sees the primary answer and stops there: recovered in place,
 * nothing fenced, DNS untouched. Logs in with user and password: Zabbix 6.0's frontend cannot
 * run scripts for an API-token session (HTTP 500, a null session id in CScript).
 */
class RecoverLadderIT {
    private RecoverFixture f;
    private String script;
    private Path www;

    @BeforeEach
    void setUp() throws Exception {
        f = RecoverFixture.recordOnPrimary("rld");
        www = Files.createDirectories(f.dir.resolve("www"));
        script = "vcr-restart-" + f.suffix;
        // busybox httpd without -f detaches: the agent's command returns at once, the service stays up
        String id = f.zabbix().createScript(new Script(null, script,
                "busybox httpd -p " + f.address(1) + ":" + f.port + " -h " + www, Script.TYPE_SCRIPT,
                Script.SCOPE_MANUAL_HOST, Script.ON_AGENT, "RecoverLadderIT " + f.suffix));
        f.onClose(() -> f.zabbix().deleteScripts(List.of(id)));
        f.onClose(this::stopRestartedService);
    }

    /** Stops the httpd the agent started: found by its unique address:port, ended by its pid. */
    private void stopRestartedService() throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", "^busybox httpd -p " + f.address(1).replace(".", "\\.") + ":" + f.port + " ")
                .start();
        for (String pid : new String(p.getInputStream().readAllBytes()).trim().split("\\s+")) {
            if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void restartingTheServiceThroughZabbixRecoversInPlaceWithoutFailover() throws Exception {
        String host = f.sandbox.value(Sandbox.ZABBIX_AGENT_HOST);
        f.runbookYaml().zabbixHost(host).standby(f.warm()).checkTimeout("300ms").then("""
                ladder:
                  - action: restart-service
                    script: %s
                    wait: 10s
                  - failover
                limits:
                  start-timeout: 30s
                """.formatted(script)).write();
        f.configWithPassword();

        VcrRun r = f.recover("--runbook", f.service, "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"headline\":\"recovered in place by restart-service (primary " + f.address(1) + " answers)\"",
                "\"name\":\"restart-service\",\"outcome\":\"ok\"", "ran script '" + script + "' on " + host,
                "\"name\":\"check-primary\",\"outcome\":\"ok\"")
                .doesNotContain("\"name\":\"fence\"", "\"name\":\"dns\"");
        assertThat(f.dig()).containsExactly(f.address(1));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(f.address(1), f.port), 2000);
        }
    }
}
