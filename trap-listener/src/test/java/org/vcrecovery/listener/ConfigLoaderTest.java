package org.vcrecovery.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        return ConfigLoader.load(privateFile("c.yaml", yaml), ConfigLoader.Overrides.NONE);
    }

    /** A file with mode 0600, as the listener wants its secret files. */
    Path privateFile(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void theShippedSampleUneditedIsRefusedForWantOfACommunityAndWithOneShowsTheDocumentedDefaults() throws Exception {
        String sample = Files.readString(Path.of("src/main/dist/conf/trap-listener.yaml"));
        assertThatThrownBy(() -> load(sample)).isInstanceOf(ConfigException.class).hasMessageStartingWith("snmp.communities: none configured");
        assertThat(sample).contains("\n  communities: []\n");
        ListenerConfig c = load(sample.replace("\n  communities: []\n", "\n  communities: [s3cret]\n"));
        assertThat(c.snmpListen().getPort()).isEqualTo(162);
        assertThat(c.snmpSources().blocks()).isEmpty();
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.spoolMaxBytes()).isEqualTo(256L << 20);
        assertThat(c.batchMaxValues()).isEqualTo(1000);
        assertThat(c.maxVms()).isEqualTo(10_000);
        assertThat(c).isEqualTo(load("snmp:\n  communities: [s3cret]\n")); // the sample shows the defaults
    }

    @Test
    void thereIsNoDefaultCommunity() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, ConfigLoader.Overrides.NONE))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("snmp.communities: none configured");
        ListenerConfig off = ConfigLoader.load(null, new ConfigLoader.Overrides("off", List.of(), List.of(), List.of(), null, null, null));
        assertThat(off.communities()).isEmpty();
        assertThat(off.snmpListen()).isNull();
        assertThat(off.spoolFsync()).isTrue();
    }

    @Test
    void aV3UserAloneIsEnoughAndItsSecurityLevelFollowsItsProtocols() throws Exception {
        Path auth = privateFile("auth", "authpass123\n");
        Path priv = privateFile("priv", "privpass123\n");
        ListenerConfig c = load("snmp:\n  v3-users:\n"
                + "    - {name: both, auth-protocol: SHA, auth-password-file: " + auth + ", priv-protocol: AES, priv-password-file: " + priv + "}\n"
                + "    - {name: authonly, auth-protocol: SHA256, auth-password-file: " + auth + "}\n"
                + "    - {name: plain}\n");
        assertThat(c.communities()).isEmpty();
        assertThat(c.v3Users()).extracting(ListenerConfig.V3User::requiredLevel).containsExactly(3, 2, 1);
        assertThat(c.toString()).contains("both(authPriv)", "authonly(authNoPriv)", "plain(noAuthNoPriv)");
    }

    @Test
    void sourcesAreAddressesAndCidrBlocks() throws Exception {
        ListenerConfig c = load("snmp:\n  communities: [c]\n  sources: [192.0.2.10, 10.1.2.3/16, '2001:db8::/32']\n");
        assertThat(c.snmpSources().blocks()).extracting(Object::toString)
                .containsExactly("192.0.2.10/32", "10.1.0.0/16", "2001:db8:0:0:0:0:0:0/32");
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        Path f = privateFile("c.yaml", "snmp:\n  listen: 0.0.0.0:162\n  communities: [secret]\nzabbix:\n  servers: [a:1]\n");
        ListenerConfig c = ConfigLoader.load(f, new ConfigLoader.Overrides("127.0.0.1:0", List.of("z1:10051", "z2:10051"),
                List.of("10.0.0.1=kvm1", "qemu:///system=kvm2"), List.of("test:///default"), dir, "2s", "dflt"));
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
        "snmp:\\n  v3-users:\\n    - name: u\\n    - name: u|snmp.v3-users[1].name",
        "snmp:\\n  listen: 0.0.0.0:162|snmp.communities",
        "snmp:\\n  communities: []|snmp.communities",
        "snmp:\\n  communities: ['']|snmp.communities",
        "snmp:\\n  communities: [c]\\n  sources: [kvm1.example.com]|snmp.sources[0]",
        "snmp:\\n  communities: [c]\\n  sources: [10.0.0.1, 10.0.0.0/33]|snmp.sources[1]",
        "snmp:\\n  communities: [c]\\n  sources: [10.0.0.0/x]|snmp.sources[0]",
        "snmp:\\n  communities: [c]\\n  sources: [300.1.1.1]|snmp.sources[0]",
        "discovery:\\n  max-vms: 0|discovery.max-vms",
        "discovery:\\n  max-vms: 2000000|discovery.max-vms",
    })
    void aBadValueIsOneErrorNamingItsKey(String yaml, String key) {
        String text = yaml.replace("\\n", "\n");
        String withCommunity = text.startsWith("snmp:") ? text : "snmp:\n  communities: [c]\n" + text;
        assertThatThrownBy(() -> load(withCommunity))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    @Test
    void durationsReadAsInVcrYamlAndABareNumberStaysTheSecondsThisFileDocumented() throws Exception {
        ListenerConfig c = load("snmp:\n  communities: [c]\nself-monitoring:\n  interval: 0\nzabbix:\n  timeout: 5\nbatch:\n  linger: 0ms\n");
        assertThat(c.selfMonitoringInterval()).isZero();
        assertThat(c).isEqualTo(load("snmp:\n  communities: [c]\nself-monitoring:\n  interval: 0s\nzabbix:\n  timeout: 5s\nbatch:\n  linger: 0ms\n"));
        assertThatThrownBy(() -> load("snmp:\n  communities: [c]\nzabbix:\n  timeout: 5 weeks\n")).isInstanceOf(ConfigException.class)
                .hasMessage("zabbix.timeout: '5 weeks' is not a duration: write a number and a unit, e.g. 250ms, 3s, 5m, 1h");
        assertThatThrownBy(() -> load("snmp:\n  communities: [c]\nlibvirt:\n  poll-interval: 2h\n")).isInstanceOf(ConfigException.class)
                .hasMessage("libvirt.poll-interval: 2h is out of range: 1s to 1h");
    }

    @Test
    void aBadHostMapFlagNamesTheFlag() {
        assertThatThrownBy(() -> ConfigLoader.load(null, new ConfigLoader.Overrides("off", List.of(), List.of("nohost"),
                List.of(), null, null, null))).isInstanceOf(ConfigException.class).hasMessageStartingWith("--host-map: ");
    }

    @Test
    void aShortPassphraseIsRejectedWithoutShowingIt() throws Exception {
        privateFile("p", "short\n");
        assertThatThrownBy(() -> load("snmp:\n  v3-users:\n    - name: u\n      auth-protocol: SHA\n      auth-password-file: " + dir.resolve("p")))
                .hasMessageContaining("shorter than 8").hasMessageNotContaining("short\n");
    }
}
