package org.vcrecovery.it.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Debian package as an operator meets it, through {@code tests/package-test}: the .deb this
 * build made passes lintian without errors, installs with apt-get (layout, owners, modes, the
 * listener's user, the start-up archive built as the zabbix user, vcr running as that user),
 * upgrades from a previous build keeping an edited conffile, and leaves nothing behind once
 * removed and purged. The script cleans up after itself; here it uses the .deb as built
 * (VCR_NO_BUILD=1: mvn is already running).
 */
class PackageIT {
    @Test
    void theDebInstallsUpgradesKeepingAnEditedConffileAndPurgesWithoutLeftovers() throws Exception {
        Path repo = Path.of(System.getProperty("vcr.repo", "..")).toAbsolutePath().normalize();
        Path log = Files.createTempFile("package-test", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(repo.resolve("tests/package-test").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("VCR_NO_BUILD", "1");
            Process p = pb.start();
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("tests/package-test finished within 10 minutes").isTrue();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.print(out);
            assertThat(out).doesNotContain("FAIL").contains(
                    "ok    lintian: no errors",
                    "ok    vcr --version as ",
                    "ok    the edited conffile kept its edit",
                    "ok    /etc/vcrecovery gone after purge",
                    "ok    user and group vcr-listener gone",
                    "[package-test] every check passed");
            assertThat(p.exitValue()).as(out).isZero();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
