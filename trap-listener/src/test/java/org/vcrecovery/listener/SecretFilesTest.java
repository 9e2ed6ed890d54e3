package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The owner/mode rule for the listener's secret files and config file. */
class SecretFilesTest {
    @TempDir
    Path dir;
    final SecretFiles rule = new SecretFiles("vcrmon", null);

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "vcrmon|rw-------|SECRET|",
        "vcrmon|r--------|SECRET|",
        "root  |rw-------|SECRET|",
        "vcrmon|rw-r-----|SECRET|is accessible by group or others (mode 0640): run chmod 600 FILE",
        "vcrmon|rw----r--|SECRET|is accessible by group or others (mode 0604): run chmod 600 FILE",
        "eve   |rw-------|SECRET|is owned by eve, not by vcrmon who runs the listener (or root): run chown vcrmon FILE",
        "vcrmon|rw-r--r--|NOT_WRITABLE|",
        "vcrmon|rw-rw-r--|NOT_WRITABLE|is writable by group or others (mode 0664): run chmod go-w FILE",
        "vcrmon|rw-r--rw-|NOT_WRITABLE|is writable by group or others (mode 0646): run chmod go-w FILE",
        "eve   |rw-r--r--|NOT_WRITABLE|is owned by eve, not by vcrmon who runs the listener (or root): run chown vcrmon FILE",
    })
    void aFileIsAcceptedOnlyWhenPrivateEnoughAndOwnedByTheListenersUserOrRoot(String owner, String mode, SecretFiles.Strictness s, String problem) {
        assertThat(rule.problem(true, owner.trim(), PosixFilePermissions.fromString(mode), s)).isEqualTo(problem);
    }

    @Test
    void aDirectoryIsNotASecretFile() {
        assertThat(rule.problem(false, "vcrmon", PosixFilePermissions.fromString("rwx------"), SecretFiles.Strictness.SECRET))
                .isEqualTo("is not a regular file");
    }

    @Test
    void aRealLooseFileIsRefusedNamingTheKeyAndTheFileButNotItsContent() throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, "topsecret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFiles me = new SecretFiles(System.getProperty("user.name"), null);
        assertThatThrownBy(() -> me.check("zabbix.api-token-file", f, SecretFiles.Strictness.SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessage("zabbix.api-token-file: " + f + " is accessible by group or others (mode 0644): run chmod 600 " + f)
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> me.check("k", dir.resolve("none"), SecretFiles.Strictness.SECRET)).hasMessage("k: " + dir.resolve("none") + " does not exist");
    }

    @Test
    void aFileInSystemdsCredentialsDirectoryIsTrustedWhateverItsAclMakesTheModeLookLike() throws Exception {
        Path creds = Files.createDirectory(dir.resolve("credentials"));
        Path f = creds.resolve("snmp-auth.pass");
        Files.writeString(f, "authpass123\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r-----")); // systemd's ACL mask shows as group read
        new SecretFiles("someone", creds).check("k", f, SecretFiles.Strictness.SECRET);
        assertThatThrownBy(() -> new SecretFiles("someone", dir.resolve("elsewhere")).check("k", f, SecretFiles.Strictness.SECRET))
                .hasMessageContaining("accessible by group or others");
    }

    @Test
    void aConfigFileWithCommunitiesMustBePrivateOneWithoutOnlyUnwritable() throws Exception {
        Path withSecret = dir.resolve("a.yaml");
        Files.writeString(withSecret, "snmp:\n  communities: [s3cret]\n");
        Files.setPosixFilePermissions(withSecret, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ConfigLoader.load(withSecret, ConfigLoader.Overrides.NONE))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--config: " + withSecret + " is accessible by group or others");
        Path noSecret = dir.resolve("b.yaml");
        Files.writeString(noSecret, "snmp:\n  listen: 'off'\n");
        Files.setPosixFilePermissions(noSecret, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ConfigLoader.load(noSecret, ConfigLoader.Overrides.NONE).snmpListen()).isNull();
        Files.setPosixFilePermissions(noSecret, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> ConfigLoader.load(noSecret, ConfigLoader.Overrides.NONE)).hasMessageStartingWith("--config: " + noSecret + " is writable");
    }

    @Test
    void passphraseAndTokenFilesGetTheSecretRule() throws Exception {
        Path pass = dir.resolve("auth");
        Files.writeString(pass, "authpass123\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r-----"));
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "snmp:\n  v3-users:\n    - {name: u, auth-protocol: SHA, auth-password-file: " + pass + "}\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, ConfigLoader.Overrides.NONE))
                .hasMessageStartingWith("snmp.v3-users[0].auth-password-file: " + pass + " is accessible by group or others");
        Files.writeString(yaml, "snmp:\n  listen: 'off'\nzabbix:\n  api-url: http://127.0.0.1/api_jsonrpc.php\n  api-token-file: " + pass + "\n");
        assertThatThrownBy(() -> ConfigLoader.load(yaml, ConfigLoader.Overrides.NONE))
                .hasMessageStartingWith("zabbix.api-token-file: " + pass + " is accessible by group or others");
    }
}
