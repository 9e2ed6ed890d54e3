package org.vcrecovery.vcr.recover;

import java.io.StringReader;
import java.nio.file.Path;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.runbook.RunbookReader;

/**
 * The runbook the recover tests share, read by the real {@link RunbookReader}: service {@code svc}
 * whose primary is libvirt domain {@code svc-vm} (test driver) at a given address, or that address
 * alone ({@link #primaryWithoutVm}), record {@code svc.example.test} updated unsigned at
 * 127.0.0.1:53; each test adds its standbys, checks and whatever else it needs.
 */
final class TestRunbook {
    private final StringBuilder standbys = new StringBuilder();
    private final StringBuilder checks = new StringBuilder();
    private final String primary;
    private String rest = "";

    private TestRunbook(String primary) {
        this.primary = primary;
    }

    static TestRunbook primary(String address) {
        return new TestRunbook("  uri: test:///default\n  domain: svc-vm\n  address: " + address + "\n");
    }

    /** A primary known only by its address: no VM to look at or fence. */
    static TestRunbook primaryWithoutVm(String address) {
        return new TestRunbook("  address: " + address + "\n");
    }

    /** A standby; {@code more} are extra YAML lines of that standby, each without indentation. */
    TestRunbook standby(String name, String kind, String backend, String address, String... more) {
        standbys.append("  - name: ").append(name).append("\n    kind: ").append(kind).append("\n    backend: ").append(backend)
                .append("\n    address: ").append(address).append('\n');
        for (String line : more) standbys.append("    ").append(line).append('\n');
        return this;
    }

    /** A check on the protocol's default port with the default timeout. */
    TestRunbook check(String protocol) {
        checks.append("  - protocol: ").append(protocol).append('\n');
        return this;
    }

    TestRunbook check(String protocol, int port, String timeout) {
        checks.append("  - protocol: ").append(protocol).append("\n    port: ").append(port).append("\n    timeout: ").append(timeout)
                .append('\n');
        return this;
    }

    /** Top-level YAML after the dns section (limits:, fencing: ...). */
    TestRunbook then(String yaml) {
        rest += yaml;
        return this;
    }

    String yaml() {
        return "service: svc\nzabbix-host: svc-vm\nprimary:\n" + primary + "standbys:\n" + standbys + "checks:\n" + checks
                + "dns:\n  server: 127.0.0.1:53\n  tsig: none\n  zone: example.test\n  name: svc\n" + rest;
    }

    Runbook read() throws Exception {
        return RunbookReader.read(new StringReader(yaml()), Path.of("svc.yaml"));
    }
}
