package org.vcrecovery.vcr.hostdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.VcrConsole;
import org.vcrecovery.vcr.WebRunbook;

/** {@code vcr recover --host-down KVMHOST} on the command line: the plan, and bad input refused with nothing changed. */
class HostDownCommandTest {
    @TempDir
    Path dir;

    Path setUp(String vcrYaml) throws Exception {
        Path rb = WebRunbook.write(dir, vcrYaml);
        Files.writeString(rb.resolve("web.yaml"), WebRunbook.YAML.replace("  address: 127.0.10.1\n",
                "  address: 127.0.10.1\n  kvm-host: kvm1\n"));
        Files.writeString(rb.resolve("mail.yaml"), WebRunbook.YAML.replace("service: web", "service: mail")
                .replace("domain: web-vm", "domain: mail-vm").replace("name: www", "name: mail")
                .replace("  address: 127.0.10.1\n", "  address: 127.0.10.1\n  kvm-host: kvm2\n"));
        return rb;
    }

    VcrConsole.Run vcr(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"recover", "--config", dir.resolve("vcr.yaml").toString()}, 0, all, 0, 3);
        all[3] = "--runbooks=" + dir.resolve("runbooks");
        System.arraycopy(args, 0, all, 4, args.length);
        return VcrConsole.run(all);
    }

    @Test
    void thePlanNamesTheHostsRunbooksAndTheLimitsFromVcrYaml() throws Exception {
        setUp("host-down:\n  parallel: 5\n  per-zone: 2\n");
        VcrConsole.Run r = vcr("--host-down", "kvm1", "--plan");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("PLAN ONLY", "KVM host kvm1: 1 runbook names it", ": web.",
                "at most 5 at once, 8 per standby host, 2 per DNS zone, 16 per standby backend", "counts as ONE failure")
                .doesNotContain("mail");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aRunbooksOwnPlanNamesItsKvmHostAndTheHostDownLimits() throws Exception {
        setUp("host-down: {per-backend: 3}\n");
        VcrConsole.Run r = vcr("--runbook", "web", "--plan");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("on KVM host kvm1 (vcr recover --host-down kvm1)",
                "Host down: `vcr recover --host-down kvm1` recovers this service", "16 per DNS zone, 3 per standby backend");
    }

    @Test
    void aHostNoRunbookNamesIsExitTwo() throws Exception {
        setUp("");
        VcrConsole.Run r = vcr("--host-down", "kvm9");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no runbook in " + dir.resolve("runbooks") + " has primary.kvm-host kvm9; nothing was changed");
    }

    @Test
    void aHostNameWithShellMetacharactersIsRefused() throws Exception {
        setUp("");
        VcrConsole.Run r = vcr("--host-down", "kvm1;reboot");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--host-down: 'kvm1;reboot' is not a valid name", "';', a shell metacharacter");
    }

    @Test
    void hostDownDoesNotGoWithOneServicesOptions() throws Exception {
        setUp("");
        VcrConsole.Run r = vcr("--host-down", "kvm1", "--vm", "web-vm");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--host-down does not go with --vm");
    }

    @Test
    void aBrokenRunbookOfTheHostStopsTheWholeRunNamingItsFileAndLine() throws Exception {
        Path rb = setUp("");
        Files.writeString(rb.resolve("db.yaml"), WebRunbook.YAML.replace("service: web", "service: db")
                .replace("  address: 127.0.10.1\n", "  address: 127.0.10.1\n  kvm-host: kvm1\n").replace("kind: warm-container", "kind: lukewarm"));
        VcrConsole.Run r = vcr("--host-down", "kvm1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("db.yaml mentions kvm-host kvm1 but cannot be used", "db.yaml:10: standbys[0].kind");
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
