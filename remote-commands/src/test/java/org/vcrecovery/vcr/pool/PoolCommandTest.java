package org.vcrecovery.vcr.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.VcrConsole;

/** {@code vcr pool} as an operator meets it: one clear line and exit 2 for bad input, nothing changed. */
class PoolCommandTest {
    @TempDir
    Path dir;

    static final String VALID = """
            kind: pool
            service: web-pool
            zabbix-host: web-pool
            dns:
              server: 127.0.0.1:5353
              tsig: none
              zone: example.test
              name: pool
              ttl: 5
            checks:
              - protocol: http
                port: 8080
            members:
              - name: p1
                backend: lxc
                target: pool-p1
                address: 127.0.30.1
              - name: p2
                backend: lxc
                address: 127.0.30.2
              - name: p3
                backend: lxc
                address: 127.0.30.3
            pool:
              min-active: 1
              upper: 70%
              window: 30s
              min-interval: 60s
            """;

    Path runbooks() throws Exception {
        Path rb = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(dir.resolve("vcr.yaml"), "runbooks: " + rb + "\nstate-dir: " + dir.resolve("state") + "\n");
        return rb;
    }

    VcrConsole.Run vcr(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = dir.resolve("vcr.yaml").toString();
        return VcrConsole.run(all);
    }

    void pool(Path rb, String name, String yaml) throws Exception {
        Path f = Files.writeString(rb.resolve(name + ".yaml"), yaml);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void growNeedsAServiceOrPending() throws Exception {
        runbooks();
        VcrConsole.Run r = vcr("pool", "grow");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give SERVICE or --pending (one of them)");
    }

    @Test
    void anUnknownPoolNamesTheDirectoryAndWhatIsInIt() throws Exception {
        Path rb = runbooks();
        pool(rb, "web-pool", VALID);
        VcrConsole.Run r = vcr("pool", "shrink", "nosuch");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no runbook 'nosuch' in " + rb, "(known: web-pool)");
    }

    @Test
    void anInvalidPoolRunbookIsRefusedWithFileAndLine() throws Exception {
        Path rb = runbooks();
        pool(rb, "web-pool", VALID.replace("  upper: 70%", "  upper: 70%\n  lower: 50%"));
        VcrConsole.Run r = vcr("pool", "grow", "web-pool");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("web-pool.yaml:27: pool.lower: lower 50% is above half of upper 70%: the thresholds overlap");
    }

    @Test
    void pendingWithoutAZabbixApiSaysSo() throws Exception {
        runbooks();
        VcrConsole.Run r = vcr("pool", "grow", "--pending");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--pending reads the pool problems from the Zabbix API, and vcr.yaml has no zabbix section");
    }

    @Test
    void recoverRefusesAPoolRunbookAndNamesVcrPool() throws Exception {
        Path rb = runbooks();
        pool(rb, "web-pool", VALID);
        VcrConsole.Run r = vcr("recover", "--runbook", "web-pool");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out() + r.err()).contains("this is a pool runbook (kind: pool): `vcr pool` runs it");
    }

    @Test
    void statusWithoutPoolsSaysSo() throws Exception {
        Path rb = runbooks();
        VcrConsole.Run r = vcr("pool", "status");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("no pool runbook in " + rb);
    }

    @Test
    void helpListsExitCode18() {
        VcrConsole.Run r = VcrConsole.run("pool", "--help");
        assertThat(r.out()).contains("grow", "shrink", "status").containsPattern("18 +at the limit");
    }
}
