package org.vcrecovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsChangeTest {
    @ParameterizedTest(name = "zone {0}, name {1} is {2}")
    @CsvSource({
        "example.test,  www,                www.example.test.",
        "example.test., www,                www.example.test.",
        "Example.TEST,  WWW,                www.example.test.",
        "example.test,  www.example.test,   www.example.test.",
        "example.test,  www.example.test.,  www.example.test.",
        "example.test,  a.b,                a.b.example.test.",
        "example.test,  @,                  example.test.",
        "example.test,  example.test.,      example.test.",
    })
    void namesBecomeAbsoluteAndLowerCase(String zone, String name, String expected) {
        DnsChange c = DnsChange.of(zone, name, RecordType.A, 30, "127.0.0.1");
        assertThat(c.name()).isEqualTo(expected);
        assertThat(c.zone()).isEqualTo("example.test.");
    }

    @ParameterizedTest(name = "{0} {1} is written {2}")
    @CsvSource({
        "A,     127.0.10.2,            127.0.10.2",
        "A,     ' 127.0.0.1 ',         127.0.0.1",
        "AAAA,  ::1,                   ::1",
        "AAAA,  2001:DB8:0:0:0:0:0:1,  2001:db8::1",
        "AAAA,  fe80:0:0:1:0:0:0:1,    fe80:0:0:1::1",
        "CNAME, standby,               standby.example.test.",
        "CNAME, lb.other.test.,        lb.other.test.",
    })
    void valuesAreParsedForTheirTypeAndCanonical(RecordType type, String value, String expected) {
        assertThat(DnsChange.of("example.test", "www", type, 30, value).values()).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "name outside the zone          | www.other.test.    | A     | 127.0.0.1     | 30         | name: www.other.test. is outside the zone example.test.",
        "name not a domain name         | 'a..b'             | A     | 127.0.0.1     | 30         | name:",
        "empty name                     | ''                 | A     | 127.0.0.1     | 30         | name: missing",
        "A value not an address         | www                | A     | 127.0.10.300  | 30         | value: 127.0.10.300 is not an IPv4 address",
        "A value is a host name         | www                | A     | localhost     | 30         | value: localhost is not an IPv4 address",
        "A value is IPv6                | www                | A     | ::1           | 30         | value: ::1 is not an IPv4 address",
        "AAAA value is IPv4             | www                | AAAA  | 127.0.0.1     | 30         | value: 127.0.0.1 is not an IPv6 address",
        "AAAA value garbage             | www                | AAAA  | 1:2:3         | 30         | value: 1:2:3 is not an IPv6 address",
        "negative ttl                   | www                | A     | 127.0.0.1     | -1         | ttl: -1 is outside 0..2147483647",
        "ttl too large                  | www                | A     | 127.0.0.1     | 2147483648 | ttl: 2147483648 is outside",
        "CNAME at the apex              | @                  | CNAME | x.other.test. | 30         | name: a CNAME cannot be at the zone apex",
        "CNAME target not a name        | www                | CNAME | 'a..b'        | 30         | value:",
    })
    void badInputIsRejectedNamingTheField(String why, String name, RecordType type, String value, long ttl, String message) {
        assertThatThrownBy(() -> DnsChange.of("example.test", name, type, ttl, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aCnameHasExactlyOneTarget() {
        assertThatThrownBy(() -> DnsChange.of("example.test", "www", RecordType.CNAME, 30, "a", "b"))
                .hasMessageContaining("value: a CNAME has exactly one target");
    }

    @Test
    void atLeastOneValueIsRequired() {
        assertThatThrownBy(() -> new DnsChange("example.test", "www", RecordType.A, List.of(), 30, null))
                .hasMessageContaining("value: at least one value");
    }

    @Test
    void aMissingZoneIsNamed() {
        assertThatThrownBy(() -> DnsChange.of(" ", "www", RecordType.A, 30, "127.0.0.1")).hasMessage("zone: missing");
    }

    @Test
    void duplicateValuesCollapseAndOrderIsKept() {
        DnsChange c = DnsChange.of("example.test", "www", RecordType.A, 30, "127.0.0.2", "127.0.0.1", "127.0.0.2");
        assertThat(c.values()).containsExactly("127.0.0.2", "127.0.0.1");
    }

    @Test
    void expectedValuesAreCheckedLikeValues() {
        DnsChange c = DnsChange.of("example.test", "www", RecordType.AAAA, 30, "::2").expecting("0:0:0:0:0:0:0:1");
        assertThat(c.precondition()).isEqualTo(Precondition.expect("::1"));
        assertThatThrownBy(() -> DnsChange.of("example.test", "www", RecordType.A, 30, "127.0.0.2").expecting("nope"))
                .hasMessageContaining("expect: nope is not an IPv4 address");
    }

    @Test
    void aPreconditionWithoutValuesOrWithStrayValuesIsRejected() {
        assertThatThrownBy(() -> Precondition.expect(List.of())).hasMessageContaining("expect:");
        assertThatThrownBy(() -> new Precondition(Precondition.Kind.EXPECT_ABSENT, List.of("127.0.0.1")))
                .hasMessageContaining("expect:");
    }

    @Test
    void ttlBoundsAreInclusive() {
        assertThat(DnsChange.of("example.test", "www", RecordType.A, 0, "127.0.0.1").ttl()).isZero();
        assertThat(DnsChange.of("example.test", "www", RecordType.A, DnsChange.MAX_TTL, "127.0.0.1").ttl())
                .isEqualTo(2147483647L);
    }

    @Test
    void qualifyUsesTheSameRulesAndRejectsNamesOutsideTheZone() {
        assertThat(DnsChange.qualify("example.test", "www")).isEqualTo("www.example.test.");
        assertThatThrownBy(() -> DnsChange.qualify("example.test", "x.invalid.")).hasMessageContaining("outside the zone");
    }

    @Test
    void describeIsOneReadableLine() {
        assertThat(DnsChange.of("example.test", "www", RecordType.A, 30, "127.0.10.2", "127.0.10.3").describe())
                .isEqualTo("www.example.test. A 127.0.10.2, 127.0.10.3 (ttl 30)");
    }
}
