package org.vcrecovery.vcr.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunbookCatalog#mentions}: the hosts {@code vcr recover --pending} asks Zabbix about in the
 * same request as its {@code problem.get}, read from the files without parsing them.
 */
class RunbookCatalogTest {
    @TempDir
    Path dir;

    @Test
    void theTopLevelValuesOfAKeyAreReadFromEveryFileQuotedOrNotWithoutNestedOnesOrComments() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), "service: web\nzabbix-host: web-host  # the VM\nprimary:\n  address: 127.0.10.1\n");
        Files.writeString(dir.resolve("mail.yml"), "service: mail\nzabbix-host: \"mail host\"\n");
        Files.writeString(dir.resolve("ftp.yaml"), "service: ftp\nstandbys:\n  - name: a\n    zabbix-host: recovery-vm\n");
        Files.writeString(dir.resolve("notes.txt"), "zabbix-host: not-a-runbook\n");

        assertThat(new RunbookCatalog(dir).mentions("zabbix-host")).containsExactly("mail host", "web-host");
    }

    @Test
    void aValueWithShellOrYamlSyntaxIsNotTakenAsAHostName() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "service: bad\nzabbix-host: web;id\n");
        Files.writeString(dir.resolve("flow.yaml"), "service: flow\nzabbix-host: {a: b}\n");

        assertThat(new RunbookCatalog(dir).mentions("zabbix-host")).isEmpty();
    }
}
