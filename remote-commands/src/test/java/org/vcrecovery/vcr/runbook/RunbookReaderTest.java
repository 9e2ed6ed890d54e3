package org.vcrecovery.vcr.runbook;

import org.vcrecovery.vcr.yaml.Problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.runbook.Runbook.FencingMode;
import org.vcrecovery.vcr.ladder.LadderAction;
import org.vcrecovery.vcr.ladder.LadderStep;
import org.vcrecovery.vcr.runbook.Runbook.StandbyKind;

class RunbookReaderTest {
    static final String VALID = """
            service: web
            zabbix-host: web-vm
            primary:
              uri: test:///default
              domain: web-vm
              address: 127.0.10.1
            standbys:
              - name: web-warm
                kind: warm-container
                backend: lxc
                options:
                  lxcpath: /var/lib/lxc
                address: 127.0.10.2
              - name: web-vm2
                kind: suspended-vm
                backend: libvirt
                options:
                  uri: test:///default
                address: 127.0.10.3
                port: 8080
            checks:
              - protocol: http
            dns:
              server: 127.0.0.1:5353
              tsig: none
              zone: example.test
              name: www
            """;

    static Runbook parse(String yaml) throws Exception {
        return RunbookReader.read(new StringReader(yaml), Path.of("t.yaml"));
    }

    static List<String> problems(String yaml) {
        InvalidRunbookException e = catchThrowableOfType(InvalidRunbookException.class, () -> parse(yaml));
        assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aMinimalRunbookGetsTheDocumentedDefaults() throws Exception {
        Runbook rb = parse(VALID);
        assertThat(rb.service()).isEqualTo("web");
        assertThat(rb.primary().backend()).isEqualTo("libvirt");
        assertThat(rb.standbys()).extracting(Runbook.Standby::kind).containsExactly(StandbyKind.WARM_CONTAINER, StandbyKind.SUSPENDED_VM);
        assertThat(rb.standbys().get(0).target()).isEqualTo("web-warm");
        assertThat(rb.standbys().get(0).options()).containsEntry("lxcpath", "/var/lib/lxc");
        assertThat(rb.standbys().get(1).port()).isEqualTo(8080);
        assertThat(rb.checks().get(0).port()).isEqualTo(80);
        assertThat(rb.checks().get(0).timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rb.dns().port()).isEqualTo(5353);
        assertThat(rb.dns().fqdn()).isEqualTo("www.example.test.");
        assertThat(rb.dns().type()).isEqualTo("A");
        assertThat(rb.dns().ttl()).isEqualTo(30);
        assertThat(rb.fencing().mode()).isEqualTo(FencingMode.DESTROY);
        assertThat(rb.fencing().allowUnfenced()).isFalse();
        assertThat(rb.ladder()).isEmpty();
        assertThat(rb.limits()).isEqualTo(Runbook.Limits.DEFAULTS);
    }

    @Test
    void theLadderTakesShorthandAndMappingsWithTheOriginalSystemsWaits() throws Exception {
        Runbook rb = parse(VALID + """
                ladder:
                  - action: restart-service
                    script: Restart httpd
                  - reboot-vm
                  - failover
                """);
        assertThat(rb.ladder()).extracting(LadderStep::action)
                .containsExactly(LadderAction.RESTART_SERVICE, LadderAction.REBOOT_VM, LadderAction.FAILOVER);
        assertThat(rb.ladder().get(0).waitFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(rb.ladder().get(1).waitFor()).isEqualTo(Duration.ofSeconds(25));
        assertThat(rb.ladder().get(0).script()).isEqualTo("Restart httpd");
    }

    @Test
    void everyShippedExampleIsValid() throws Exception {
        Path dir = Path.of("../recovery-scripts/runbooks");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("web.yaml", "mail.yaml", "ftp.yaml", "ssh.yaml");
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("web-pool.yaml");
        for (Path f : files) {
            if (PoolRunbookReader.isPool(Files.readString(f))) {
                assertThat(PoolRunbookReader.read(f).members()).hasSizeGreaterThan(1);
                continue;
            }
            Runbook rb = RunbookReader.read(f);
            assertThat(RunbookPlan.describe(rb, Duration.ofMinutes(10))).isNotEmpty();
        }
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("a typo in a top-level key", VALID.replace("zabbix-host:", "zabix-host:"),
                        "t.yaml:2: zabix-host: unknown key (did you mean zabbix-host?)"),
                Arguments.of("a typo in a kind", VALID.replace("kind: warm-container", "kind: warm-contianer"),
                        "t.yaml:9: standbys[0].kind: 'warm-contianer' is not one of warm-container, cold-container, suspended-vm, vm (did you mean warm-container?)"),
                Arguments.of("a VM kind on a container backend", VALID.replace("backend: libvirt", "backend: lxc"),
                        "t.yaml:16: standbys[1].backend: suspended-vm needs a vm backend (libvirt), not lxc"),
                Arguments.of("a container kind on a VM backend", VALID.replace("backend: lxc", "backend: libvirt"),
                        "t.yaml:10: standbys[0].backend: warm-container needs a container backend (libvirt-lxc, lxc, lxd), not libvirt"),
                Arguments.of("a backend nobody installed", VALID.replace("backend: lxc", "backend: xen"),
                        "t.yaml:10: standbys[0].backend: 'xen' is not one of libvirt, libvirt-lxc, lxc, lxd"),
                Arguments.of("a host name as address", VALID.replace("address: 127.0.10.2", "address: web2.example.test"),
                        "t.yaml:13: standbys[0].address: 'web2.example.test' is not an IPv4 or IPv6 address"),
                Arguments.of("a duration without unit", VALID + "limits:\n  deadline: 60\n",
                        "t.yaml:29: limits.deadline: '60' is not a duration"),
                Arguments.of("a port out of range", VALID.replace("port: 8080", "port: 70000"),
                        "t.yaml:20: standbys[1].port: '70000' is not a whole number from 1 to 65535"),
                Arguments.of("a tcp check without port", VALID.replace("protocol: http", "protocol: tcp"),
                        "checks[0].port: missing: a tcp check needs a port"),
                Arguments.of("a missing dns section", VALID.substring(0, VALID.indexOf("dns:")),
                        "t.yaml:1: dns: missing (required)"),
                Arguments.of("a duplicate standby name", VALID.replace("name: web-vm2", "name: web-warm"),
                        "t.yaml:14: standbys[1].name: 'web-warm' is used by an earlier standby"),
                Arguments.of("failover not last", VALID + "ladder:\n  - failover\n  - reboot-vm\n",
                        "t.yaml:29: ladder[0]: failover must be the last rung"),
                Arguments.of("restart-service without script", VALID + "ladder:\n  - restart-service\n  - failover\n",
                        "ladder[0].script: missing: restart-service needs the name of the Zabbix script"),
                Arguments.of("a script on a rung that runs none", VALID + "ladder:\n  - action: reboot-vm\n    script: restart-web\n  - failover\n",
                        "ladder[0].script: only restart-service runs a script"),
                Arguments.of("reboot-vm without a domain", VALID.replace("  uri: test:///default\n  domain: web-vm\n", "") + "ladder:\n  - reboot-vm\n  - failover\n",
                        "ladder[0]: reboot-vm needs primary.domain and primary.uri"),
                Arguments.of("destroy without a domain", VALID.replace("  uri: test:///default\n  domain: web-vm\n", "") + "fencing:\n  mode: destroy\n",
                        "fencing.mode: destroy needs primary.domain and primary.uri"),
                Arguments.of("an IPv6 standby on an A record", VALID.replace("address: 127.0.10.3", "address: ::1"),
                        "t.yaml:19: standbys[1].address: ::1 is not IPv4 but dns.type is A"),
                Arguments.of("a name with a shell metacharacter", VALID.replace("service: web", "service: web;reboot"),
                        "t.yaml:1: service: 'web;reboot' is not a valid name"),
                Arguments.of("a key written twice", VALID + "service: mail\n",
                        "t.yaml:28: service: written twice"),
                Arguments.of("not YAML at all", "service: [web\n", "t.yaml:"),
                Arguments.of("a DNS server given by name", VALID.replace("server: 127.0.0.1:5353", "server: ns1.example.test:53"),
                        "t.yaml:24: dns.server: 'ns1.example.test' is not an IP address (a name would need a lookup"),
                Arguments.of("no key and no tsig: none", VALID.replace("  tsig: none\n", ""),
                        "t.yaml:24: dns.tsig-file: missing: the TSIG key file that signs the update (write tsig: none to update unsigned)"),
                Arguments.of("tsig other than none", VALID.replace("tsig: none", "tsig: off"),
                        "t.yaml:25: dns.tsig: 'off' is not none"),
                Arguments.of("a key and tsig: none", VALID.replace("tsig: none", "tsig: none\n  tsig-file: /etc/k.key"),
                        "dns.tsig: tsig: none and tsig-file exclude each other"),
                Arguments.of("an alias instead of a value", VALID.replace("zabbix-host: web-vm", "zabbix-host: *vm").replace("domain: web-vm", "domain: &vm web-vm"),
                        "t.yaml:2: not valid YAML: '*vm' is a YAML alias: not supported here, write the value out"),
                Arguments.of("a second document", VALID + "---\nservice: other\n",
                        "t.yaml:29: not valid YAML: this is a second YAML document"),
                Arguments.of("a KVM host that is no name", VALID.replace("  address: 127.0.10.1\n", "  address: 127.0.10.1\n  kvm-host: kvm;1\n"),
                        "t.yaml:7: primary.kvm-host: 'kvm;1' is not a valid name"),
                Arguments.of("a record outside its zone", VALID.replace("name: www", "name: www.other.test."),
                        "dns.name: 'www.other.test.' is not inside zone example.test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenRunbookIsRefusedNamingLineAndField(String why, String yaml, String expected) {
        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceInLineOrder() {
        List<String> ps = problems(VALID.replace("zabbix-host:", "zabix-host:").replace("kind: vm", "kind: xx")
                .replace("suspended-vm", "frozen").replace("port: 8080", "port: x"));
        assertThat(ps).hasSizeGreaterThanOrEqualTo(3);
        assertThat(ps.stream().map(p -> Integer.parseInt(p.split(":")[1])).toList()).isSorted();
    }

    @Test
    void thePrimarysKvmHostIsReadAndIsUnsetWhenNotGiven() throws Exception {
        assertThat(parse(VALID.replace("  address: 127.0.10.1\n", "  address: 127.0.10.1\n  kvm-host: kvm-a.example\n"))
                .primary().kvmHost()).isEqualTo("kvm-a.example");
        assertThat(parse(VALID).primary().kvmHost()).isNull();
    }

    @Test
    void aPrimaryWithoutDomainIsFencedByProvingItDead() throws Exception {
        Runbook rb = parse(VALID.replace("  uri: test:///default\n  domain: web-vm\n", ""));
        assertThat(rb.fencing().mode()).isEqualTo(FencingMode.VERIFY_DEAD);
    }

    @Test
    void aMissingFileIsAnIoErrorNamingIt() {
        assertThatThrownBy(() -> RunbookReader.read(Path.of("/nonexistent/x.yaml")))
                .hasMessageContaining("/nonexistent/x.yaml");
    }

    @Test
    void aRunbookItsGroupCanWriteIsRefusedBeforeItIsRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("web.yaml"), VALID);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> RunbookReader.read(f))
                .isInstanceOfSatisfying(org.vcrecovery.vcr.VcrException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(org.vcrecovery.vcr.ExitCode.USAGE))
                .hasMessageStartingWith("runbook " + f + " is writable by its group (mode 0664)");
        Files.setOwner(f, java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> RunbookReader.read(f)).hasMessageContaining("is owned by nobody");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(org.vcrecovery.vcr.check.Protocol.class)
    void everyProtocolOfTheCheckPackageIsAcceptedWithItsDefaultPort(org.vcrecovery.vcr.check.Protocol p) throws Exception {
        String yaml = VALID.replace("  - protocol: http\n", "  - protocol: " + p.label() + "\n"
                + (p.defaultPort() == 0 ? "    port: 8080\n" : ""));
        Runbook.Check c = parse(yaml).checks().get(0);
        assertThat(c.protocol()).isEqualTo(p);
        assertThat(c.port()).isEqualTo(p.defaultPort() == 0 ? 8080 : p.defaultPort());
    }
}
