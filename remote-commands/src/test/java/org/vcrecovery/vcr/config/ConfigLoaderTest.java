package org.vcrecovery.vcr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aFullConfigIsReadAndOptionsBeatEnvironmentBeatTheFile() throws Exception {
        Path f = write("vcr.yaml", """
                zabbix:
                  url: http://127.0.0.1:8080/api_jsonrpc.php
                  token-file: /etc/vcrecovery/zabbix.token
                  timeout: 3s
                  maintenance-unknown: refuse
                  version: "6.0"
                runbooks: /srv/runbooks
                state-dir: /srv/state
                dedup-window: 2m
                """);
        VcrConfig c = ConfigLoader.load(f, null, null, Map.of());
        assertThat(c.zabbix().url().toString()).isEqualTo("http://127.0.0.1:8080/api_jsonrpc.php");
        assertThat(c.zabbix().tokenFile()).isEqualTo(Path.of("/etc/vcrecovery/zabbix.token"));
        assertThat(c.zabbix().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.zabbix().maintenanceUnknown()).isEqualTo(VcrConfig.MaintenanceUnknown.REFUSE);
        assertThat(c.zabbix().version()).isEqualTo("6.0");
        assertThat(c.runbookDir()).isEqualTo(Path.of("/srv/runbooks"));
        assertThat(c.dedupWindow()).isEqualTo(Duration.ofMinutes(2));

        VcrConfig env = ConfigLoader.load(null, null, null, Map.of("VCR_CONFIG", f.toString(), "VCR_RUNBOOKS", "/env/rb",
                "VCR_STATE_DIR", "/env/state"));
        assertThat(env.runbookDir()).isEqualTo(Path.of("/env/rb"));
        assertThat(env.stateDir()).isEqualTo(Path.of("/env/state"));
        VcrConfig opt = ConfigLoader.load(f, Path.of("/opt/rb"), Path.of("/opt/state"), Map.of("VCR_RUNBOOKS", "/env/rb"));
        assertThat(opt.runbookDir()).isEqualTo(Path.of("/opt/rb"));
        assertThat(opt.stateDir()).isEqualTo(Path.of("/opt/state"));
    }

    @Test
    void noFileMeansDefaultsAndNoZabbixButAnExplicitMissingFileIsUsage() {
        VcrConfig d = ConfigLoader.load(null, null, null, Map.of("VCR_STATE_DIR", dir.toString()));
        assertThat(d.stateDir()).isEqualTo(dir);
        assertThat(d.dedupWindow()).isEqualTo(VcrConfig.DEFAULT_DEDUP_WINDOW);
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), null, null, Map.of()))
                .isInstanceOf(VcrException.class).hasMessageContaining("nope.yaml does not exist");
    }

    @Test
    void everyProblemOfTheFileIsNamedWithItsLine() throws Exception {
        Path f = write("bad.yaml", """
                zabbix:
                  url: ftp://x
                  token-file: /t
                  user: admin
                statedir: /x
                dedup-window: 10
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, null, null, Map.of()))
                .isInstanceOf(VcrException.class)
                .hasMessageContaining(f + ":2: zabbix.url: 'ftp://x' is not an http(s) URL")
                .hasMessageContaining(f + ":3: zabbix.token-file: give token-file, or user and password-file, not both")
                .hasMessageContaining(f + ":5: statedir: unknown key (did you mean state-dir?)")
                .hasMessageContaining(f + ":6: dedup-window: '10' is not a duration");
    }

    @Test
    void secretFilesMustBeTheOwnersAlone() throws Exception {
        Path token = write("token", "s3cret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretFile.readFirstLine(token, "Zabbix token file"))
                .isInstanceOf(VcrException.class)
                .satisfies(e -> assertThat(((VcrException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("Zabbix token file " + token + " is accessible by group or others (mode 0644): run chmod 600 " + token)
                .hasMessageNotContaining("s3cret");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("r--------"));
        assertThat(SecretFile.readFirstLine(token, "Zabbix token file")).isEqualTo("s3cret");
        assertThatThrownBy(() -> SecretFile.readFirstLine(dir.resolve("none"), "TSIG key file"))
                .hasMessageContaining("TSIG key file " + dir.resolve("none") + " does not exist");
    }

    @Test
    void aConfigFileOthersCanWriteIsRefusedBeforeItIsRead() throws Exception {
        Path f = write("vcr.yaml", "state-dir: /tmp/evil\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> ConfigLoader.load(f, null, null, Map.of()))
                .isInstanceOfSatisfying(VcrException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("config file " + f + " is writable by others (mode 0666): only its owner and root may change"
                        + " what vcr destroys; run chmod go-w " + f.toRealPath());
    }
}
