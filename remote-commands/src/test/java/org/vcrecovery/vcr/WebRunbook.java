package org.vcrecovery.vcr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one-service set-up the command-line tests share: {@code runbooks/web.yaml} (service
 * {@code web}, Zabbix host {@code web-host}, primary libvirt domain {@code web-vm} on the test
 * driver, warm LXC standby {@code web-warm}, an HTTP check on 8080, an unsigned record) and a
 * {@code vcr.yaml} whose state directory is {@code DIR/state}. Nothing here exists on the machine:
 * the tests using it stop before anything would be touched (plans, refusals, records in state).
 */
public final class WebRunbook {
    /** The runbook; its first standby's {@code kind:} is on line 9. */
    public static final String YAML = """
            service: web
            zabbix-host: web-host
            primary:
              uri: test:///default
              domain: web-vm
              address: 127.0.10.1
            standbys:
              - name: web-warm
                kind: warm-container
                backend: lxc
                address: 127.0.10.2
            checks:
              - protocol: http
                port: 8080
            dns:
              server: 127.0.0.1:53
              tsig: none
              zone: example.test
              name: www
            """;

    /** {@link #YAML} with a second standby, the cold LXC container {@code web-cold} on 127.0.10.3. */
    public static final String WITH_COLD = YAML.replace("checks:\n",
            "  - name: web-cold\n    kind: cold-container\n    backend: lxc\n    address: 127.0.10.3\nchecks:\n");

    private WebRunbook() {}

    /** Writes {@code DIR/runbooks/web.yaml} and {@code DIR/vcr.yaml} (state-dir, then {@code vcrYaml}); returns the runbooks directory. */
    public static Path write(Path dir, String vcrYaml) throws IOException {
        Path rb = runbooks(dir, YAML);
        Files.writeString(dir.resolve("vcr.yaml"), "state-dir: " + dir.resolve("state") + "\n" + vcrYaml);
        return rb;
    }

    /** Writes {@code runbook} as {@code DIR/runbooks/web.yaml} only; returns the runbooks directory. */
    public static Path runbooks(Path dir, String runbook) throws IOException {
        Path rb = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(rb.resolve("web.yaml"), runbook);
        return rb;
    }
}
