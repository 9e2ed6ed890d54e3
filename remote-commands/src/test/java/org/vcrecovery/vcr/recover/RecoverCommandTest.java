package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.VcrConsole;
import org.vcrecovery.vcr.WebRunbook;

/** {@code vcr recover} and {@code vcr runbook} in-process: argument checks, runbook lookup, --plan. Nothing is changed. */
class RecoverCommandTest {
    @TempDir
    Path dir;

    final VcrConsole console = new VcrConsole();

    int vcr(String... args) {
        return console.vcr(args);
    }

    Path runbooks() throws Exception {
        Path rb = dir.resolve("runbooks");
        if (Files.isDirectory(rb)) return rb;
        return WebRunbook.write(dir, "");
    }

    String[] base(String... more) throws Exception {
        String[] head = {"recover", "--config", dir.resolve("vcr.yaml").toString(), "--runbooks", runbooks().toString()};
        String[] all = new String[head.length + more.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        return all;
    }

    @Test
    void aTriggerHostWithAShellCommandIsRefusedWithUsageAndNothingHappens() throws Exception {
        assertThat(vcr(base("--event-id", "5", "--trigger-host", "x; rm -rf /"))).isEqualTo(2);
        assertThat(console.err()).startsWith("vcr: --trigger-host: 'x; rm -rf /' is not a valid name")
                .contains("contains ';', a shell metacharacter");
        assertThat(console.out()).isEmpty();
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void thePlanFindsTheRunbookByVmIgnoringAnUnresolvedMacroAndChangesNothing() throws Exception {
        assertThat(vcr(base("--event-id", "5", "--trigger-host", "{HOST.HOST}", "--vm", "web-vm", "--plan"))).isEqualTo(0);
        assertThat(console.out()).startsWith("PLAN ONLY: nothing will be changed.\nRunbook web (")
                .contains("destroy domain web-vm", "web-warm: warm-container", "This run: event 5");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void theRunbookIsFoundByTriggerHostWhenTheVmMacroIsUnresolved() throws Exception {
        assertThat(vcr(base("--trigger-host", "web-host", "--vm", "{EVENT.TAGS.vm}", "--plan"))).isEqualTo(0);
        assertThat(console.out()).contains("Runbook web");
    }

    @Test
    void anUnknownServiceOrStandbyIsUsage() throws Exception {
        assertThat(vcr(base("--vm", "other-vm"))).isEqualTo(2);
        assertThat(console.err()).contains("no runbook in", "has primary domain other-vm");
        assertThat(vcr(base("--runbook", "web", "--standby", "nope", "--plan"))).isEqualTo(2);
        assertThat(console.err()).contains("runbook web has no standby 'nope' (it has: web-warm)");
        assertThat(vcr(base())).isEqualTo(2);
        assertThat(console.err()).contains("give --runbook NAME|FILE, --vm DOMAIN or --trigger-host HOST");
    }

    @Test
    void aRunbookWithATypoIsRefusedListingItsProblems() throws Exception {
        Path rb = runbooks();
        Files.writeString(rb.resolve("web.yaml"), Files.readString(rb.resolve("web.yaml")).replace("kind:", "knd:"));
        assertThat(vcr(base("--runbook", "web"))).isEqualTo(2);
        assertThat(console.err()).contains("has problems (nothing was changed)", "web.yaml:9: standbys[0].knd: unknown key (did you mean kind?)");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void runbookValidateShowAndList() throws Exception {
        Path rb = runbooks();
        assertThat(vcr("runbook", "validate", rb.resolve("web.yaml").toString())).isEqualTo(0);
        assertThat(console.out()).contains("web.yaml: ok: service web, 1 standby(s)");
        assertThat(vcr("runbook", "show", "--runbooks", rb.toString(), "--config", dir.resolve("vcr.yaml").toString(), "web")).isEqualTo(0);
        assertThat(console.out()).contains("When vcr recover runs for web:");
        assertThat(vcr("runbook", "list", "--runbooks", rb.toString(), "--config", dir.resolve("vcr.yaml").toString())).isEqualTo(0);
        assertThat(console.out()).contains("web\t" + rb.resolve("web.yaml"));
        Files.writeString(rb.resolve("bad.yaml"), "service: [\n");
        assertThat(vcr("runbook", "validate", rb.resolve("bad.yaml").toString(), rb.resolve("web.yaml").toString())).isEqualTo(2);
        assertThat(console.out()).contains("bad.yaml:");
    }
}
