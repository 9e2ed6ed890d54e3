package org.vcrecovery.vcr.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.yaml.Problem;

/** Pool runbooks: what a valid one gives, and one clear file:line problem for each bad input. */
class PoolRunbookReaderTest {
    static final String VALID = """
            kind: pool
            service: web-pool
            zabbix-host: web-pool
            dns:
              server: 127.0.0.1:5353
              tsig: none
              zone: example.test
              name: pool
              ttl: 5
            checks:
              - protocol: http
                port: 8080
            members:
              - name: p1
                backend: lxc
                target: pool-p1
                address: 127.0.30.1
              - name: p2
                backend: lxc
                address: 127.0.30.2
              - name: p3
                backend: lxc
                address: 127.0.30.3
            pool:
              min-active: 1
              upper: 70%
              window: 30s
              min-interval: 60s
            """;

    static PoolRunbook parse(String yaml) throws Exception {
        return PoolRunbookReader.read(new StringReader(yaml), Path.of("p.yaml"));
    }

    static List<String> problems(String yaml) {
        InvalidRunbookException e = catchThrowableOfType(InvalidRunbookException.class, () -> parse(yaml));
        assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void validPoolGivesMembersInOrderAndTheDefaults() throws Exception {
        PoolRunbook p = parse(VALID);
        assertThat(p.service()).isEqualTo("web-pool");
        assertThat(p.members()).extracting(PoolRunbook.Member::name).containsExactly("p1", "p2", "p3");
        assertThat(p.members().get(0).target()).isEqualTo("pool-p1");
        assertThat(p.members().get(1).target()).isEqualTo("p2");
        assertThat(p.policy().upper()).isEqualTo(70);
        assertThat(p.policy().lower()).as("half of upper by default").isEqualTo(35);
        assertThat(p.policy().window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.dns().fqdn()).isEqualTo("pool.example.test.");
    }

    @Test
    void noPoolSectionMeansThePapersPolicy() throws Exception {
        PoolRunbook p = parse(VALID.substring(0, VALID.indexOf("pool:\n  min")));
        assertThat(p.policy()).isEqualTo(new PoolRunbook.Policy(1, 70, 35, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("lower above half of upper (grow 1->2 would land under it)", VALID.replace("  upper: 70%", "  upper: 70%\n  lower: 40%"),
                        "p.yaml:27: pool.lower: lower 40% is above half of upper 70%: the thresholds overlap"),
                Arguments.of("lower not below upper", VALID.replace("  upper: 70%", "  upper: 70%\n  lower: 80%"),
                        "p.yaml:27: pool.lower: lower 80% is not below upper 70%: the thresholds overlap"),
                Arguments.of("min-active not below the members", VALID.replace("min-active: 1", "min-active: 3"),
                        "p.yaml:25: pool.min-active: 3 is not below the 3 members: the pool could never grow"),
                Arguments.of("a member address that is a name", VALID.replace("address: 127.0.30.2", "address: web2.example.test"),
                        "p.yaml:20: members[1].address: 'web2.example.test' is not an IPv4 or IPv6 address literal"),
                Arguments.of("an address used twice", VALID.replace("address: 127.0.30.3", "address: 127.0.30.1"),
                        "p.yaml:23: members[2].address: 127.0.30.1 is used by an earlier member"),
                Arguments.of("a name used twice", VALID.replace("name: p3", "name: p1"),
                        "p.yaml:21: members[2].name: 'p1' is used by an earlier member"),
                Arguments.of("an IPv6 member in an A record", VALID.replace("address: 127.0.30.3", "address: ::1"),
                        "p.yaml:23: members[2].address: ::1 is not IPv4 but dns.type is A"),
                Arguments.of("a threshold that is no percentage", VALID.replace("upper: 70%", "upper: lots"),
                        "p.yaml:26: pool.upper: 'lots' is not a percentage from 0% to 100%"),
                Arguments.of("min-interval shorter than the window", VALID.replace("min-interval: 60s", "min-interval: 10s"),
                        "p.yaml:28: pool.min-interval: min-interval 10s is shorter than window 30s"),
                Arguments.of("one member only", VALID.substring(0, VALID.indexOf("  - name: p2")) + "pool:\n  upper: 70%\n",
                        "p.yaml:13: members: list at least two members"),
                Arguments.of("an unknown backend", VALID.replace("backend: lxc\n    address: 127.0.30.2", "backend: lxcc\n    address: 127.0.30.2"),
                        "p.yaml:19: members[1].backend: 'lxcc' is not one of"),
                Arguments.of("a DNS server that is a name", VALID.replace("127.0.0.1:5353", "ns1.example.test:53"),
                        "p.yaml:5: dns.server: 'ns1.example.test' is not an IP address"),
                Arguments.of("a typo in a key", VALID.replace("  window: 30s", "  windw: 30s"),
                        "p.yaml:27: pool.windw: unknown key (did you mean window?)"),
                Arguments.of("kind other than pool", VALID.replace("kind: pool", "kind: farm"),
                        "p.yaml:1: kind: 'farm' is not pool"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsOneProblemWithFileAndLine(String what, String yaml, String expected) {
        List<String> problems = problems(yaml);
        assertThat(problems).as(what).hasSize(1);
        assertThat(problems.get(0)).as(what).startsWith(expected);
    }

    @Test
    void recoveryReaderRefusesAPoolRunbookNamingTheCommand() {
        InvalidRunbookException e = catchThrowableOfType(InvalidRunbookException.class,
                () -> RunbookReader.read(new StringReader(VALID), Path.of("p.yaml")));
        assertThat(e.getMessage()).contains("p.yaml:1: kind: this is a pool runbook (kind: pool): `vcr pool` runs it");
    }

    @Test
    void isPoolLooksAtTheTopLevelKindOnly() {
        assertThat(PoolRunbookReader.isPool(VALID)).isTrue();
        assertThat(PoolRunbookReader.isPool(RunbookReaderTest.VALID)).isFalse();
        assertThat(PoolRunbookReader.isPool("service: x\n  kind: pool\n")).isFalse();
    }
}
