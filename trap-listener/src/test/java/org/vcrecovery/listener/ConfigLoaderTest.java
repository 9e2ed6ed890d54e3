package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    ListenerConfig load(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, ConfigLoader.Overrides.NONE);
    }

    @Test
    void theShippedSampleIsValidAndGivesTheDocumentedDefaults() throws Exception {
        Path sample = Path.of("src/main/dist/conf/trap-listener.yaml");
        ListenerConfig c = load(Files.readString(sample));
        assertThat(c.snmpListen().getPort()).isEqualTo(162);
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.spoolMaxBytes()).isEqualTo(256L << 20);
        assertThat(c.batchMaxValues()).isEqualTo(1000);
        assertThat(c).isEqualTo(ConfigLoader.load(null, ConfigLoader.Overrides.NONE)); // the sample shows the defaults
    }

    @Test
    void noFileMeansDefaults() throws Exception {
        ListenerConfig c = ConfigLoader.load(null, ConfigLoader.Overrides.NONE);
        assertThat(c.zabbixServers()).hasSize(1);
        assertThat(c.communities()).containsExactly("public");
        assertThat(c.spoolFsync()).isTrue();
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "snmp:\n  listen: 0.0.0.0:162\nzabbix:\n  servers: [a:1]\n");
        ListenerConfig c = ConfigLoader.load(f, new ConfigLoader.Overrides("127.0.0.1:0", List.of("z1:10051", "z2:10051"),
                List.of("secret"), List.of("10.0.0.1=kvm1", "qemu:///system=kvm2"), List.of("test:///default"), dir, "2s", "dflt"));
        assertThat(c.snmpListen().getPort()).isZero();
        assertThat(c.zabbixServers()).extracting(a -> a.getHostString()).containsExactly("z1", "z2");
        assertThat(c.hostMap()).containsEntry("10.0.0.1", "kvm1").containsEntry("qemu:///system", "kvm2");
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.defaultHost()).isEqualTo("dflt");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "snmp:\\n  lisen: 1.2.3.4:162|snmp.lisen",
        "snmp:\\n  listen: nowhere|snmp.listen",
        "snmp:\\n  listen: 1.2.3.4:70000|snmp.listen",
        "snmp:\\n  threads: 0|snmp.threads",
        "snmp:\\n  threads: many|snmp.threads",
        "zabbix:\\n  servers: []|zabbix.servers",
        "zabbix:\\n  servers: [host]|zabbix.servers",
        "zabbix:\\n  timeout: 5 weeks|zabbix.timeout",
        "libvirt:\\n  poll-interval: 0s|libvirt.poll-interval",
        "libvirt:\\n  uris: [nouri]|libvirt.uris",
        "spool:\\n  max-bytes: 10KiB|spool.max-bytes",
        "spool:\\n  max-bytes: lots|spool.max-bytes",
        "spool:\\n  fsync: maybe|spool.fsync",
        "batch:\\n  max-values: 20000|batch.max-values",
        "hosts:\\n  map:\\n    10.0.0.1: ''|hosts.map.10.0.0.1",
        "hosts:\\n  default: ''|hosts.default",
        "snmp:\\n  v3-users:\\n    - auth-protocol: SHA|snmp.v3-users[0].name",
        "snmp:\\n  v3-users:\\n    - name: u\\n      auth-protocol: SHA1|snmp.v3-users[0].auth-protocol",
        "snmp:\\n  v3-users:\\n    - name: u\\n      auth-protocol: SHA\\n      auth-password-file: /nonexistent|snmp.v3-users[0].auth-password-file",
        "snmp:\\n  v3-users:\\n    - name: u\\n      priv-protocol: AES|snmp.v3-users[0].priv-protocol",
        "snmp:\\n  v3-users:\\n    - name: u\\n      passphrase: x|snmp.v3-users[0].passphrase",
    })
    void aBadValueIsOneErrorNamingItsKey(String yaml, String key) {
        assertThatThrownBy(() -> load(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    @Test
    void aBadHostMapFlagNamesTheFlag() {
        assertThatThrownBy(() -> ConfigLoader.load(null, new ConfigLoader.Overrides(null, List.of(), List.of(), List.of("nohost"),
                List.of(), null, null, null))).isInstanceOf(ConfigException.class).hasMessageStartingWith("--host-map: ");
    }

    @Test
    void aShortPassphraseIsRejectedWithoutShowingIt() throws Exception {
        Files.writeString(dir.resolve("p"), "short\n");
        assertThatThrownBy(() -> load("snmp:\n  v3-users:\n    - name: u\n      auth-protocol: SHA\n      auth-password-file: " + dir.resolve("p")))
                .hasMessageContaining("shorter than 8").hasMessageNotContaining("short\n");
    }
}
