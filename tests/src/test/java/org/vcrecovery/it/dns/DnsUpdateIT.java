package org.vcrecovery.it.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.it.Sandbox;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The dns-updater library against the sandbox's real BIND 9 (dynamic zone, TSIG key). */
class DnsUpdateIT {
    private Sandbox sandbox;
    private String zone;
    private InetSocketAddress server;
    private DnsUpdater updater;
    private BindProbe bind;
    private String name;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = Sandbox.get();
        zone = sandbox.value(Sandbox.DNS_ZONE);
        server = sandbox.address(Sandbox.DNS_SERVER);
        updater = updater(TsigKey.fromFile(sandbox.path(Sandbox.DNS_TSIG_FILE)));
        bind = new BindProbe(server);
        name = BindProbe.uniqueLabel("lib") + "." + zone + ".";
    }

    @Test
    void aSignedUpdateIsAppliedAndVerifiedOnTheAuthoritativeServer() throws Exception {
        DnsChange change = DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2", "127.0.10.3");
        UpdateResult r = updater.update(change);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        VerifyResult v = updater.verify(change, Duration.ofSeconds(5));
        assertThat(v.matched()).as(v.message()).isTrue();
        assertThat(bind.a(name)).containsExactlyInAnyOrder("127.0.10.2", "127.0.10.3");
    }

    @Test
    void compareAndSwapAppliesWhenTheRecordIsWhatWeExpect() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        UpdateResult r = updater.update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.5").expecting("127.0.10.2"));
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        assertThat(bind.a(name)).containsExactly("127.0.10.5");
    }

    @Test
    void compareAndSwapConflictsAndChangesNothingWhenSomeoneElseChangedTheRecord() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.9")); // "someone else" moved it
        UpdateResult r = updater.update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.5").expecting("127.0.10.2"));
        assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(r.message()).contains("is 127.0.10.9, not 127.0.10.2 as expected", "nothing changed");
        assertThat(bind.a(name)).containsExactly("127.0.10.9");
    }

    @Test
    void expectAbsentCreatesOnceAndThenConflicts() throws Exception {
        DnsChange create = DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2").expectingAbsent();
        assertThat(updater.update(create).outcome()).isEqualTo(Outcome.APPLIED);
        UpdateResult again = updater.update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.7").expectingAbsent());
        assertThat(again.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(again.message()).contains("already exists (127.0.10.2)");
        assertThat(bind.a(name)).containsExactly("127.0.10.2");
    }

    @Test
    void aFailedPrerequisiteLeavesEveryPartOfTheUpdateUndone() throws Exception {
        // switching to a CNAME deletes the A RRset and adds the alias; a failed prerequisite must do neither
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        DnsChange toAlias = DnsChange.of(zone, name, RecordType.CNAME, 30, "standby." + zone + ".").expecting("other." + zone + ".");
        assertThat(updater.update(toAlias).outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(bind.a(name)).containsExactly("127.0.10.2");
        assertThat(bind.values(name, Type.CNAME)).isEmpty();
    }

    @Test
    void switchingBetweenAddressAndAliasIsOneUpdate() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        assertApplied(DnsChange.of(zone, name, RecordType.CNAME, 30, "standby"));
        assertThat(bind.values(name, Type.CNAME)).containsExactly("standby." + zone + ".");
        assertThat(bind.values(name, Type.A)).isEmpty();
    }

    @Test
    void aWrongSecretGetsOnlyUnsignedRepliesWhichAreIgnoredAndChangesNothing() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        DnsUpdater wrong = DnsUpdater.builder().server(server).tsigKey(TsigKey.fromFile(sandbox.path("DNS_TSIG_WRONG_FILE")))
                .timeout(Duration.ofMillis(300)).retries(0).build();
        UpdateResult r = wrong.update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.66"));
        // BIND's BADSIG answer is unsigned (RFC 8945): indistinguishable from a forgery, so not believed
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.UNVERIFIED);
        assertThat(r.message()).contains("NOTAUTH/BADSIG, unsigned", "if genuine: TSIG signature did not verify");
        assertThat(bind.a(name)).containsExactly("127.0.10.2");
    }

    @Test
    void aForgedUnsignedConflictAheadOfBindsRealReplyIsIgnored() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        try (ForgingRelay relay = new ForgingRelay(server, Rcode.NXRRSET, false)) {
            UpdateResult r = updaterVia(relay).update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.5").expecting("127.0.10.2"));
            assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(bind.a(name)).containsExactly("127.0.10.5");
    }

    @Test
    void aForgedConflictWhenBindsReplyIsLostIsSettledByASignedQueryAsApplied() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        try (ForgingRelay relay = new ForgingRelay(server, Rcode.NXRRSET, true)) {
            UpdateResult r = updaterVia(relay).update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.5").expecting("127.0.10.2"));
            assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
            assertThat(r.message()).contains("a signed query shows it");
        }
        assertThat(bind.a(name)).containsExactly("127.0.10.5");
    }

    @Test
    void anUnsignedUpdateIsRefusedAndChangesNothing() throws Exception {
        assertApplied(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        UpdateResult r = updater(null).update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.66"));
        assertThat(r.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(bind.a(name)).containsExactly("127.0.10.2");
    }

    @Test
    void aNameOutsideTheZoneIsRejectedBeforeAnUpdateExists() {
        assertThatThrownBy(() -> DnsChange.of(zone, "www.outside-zone.invalid.", RecordType.A, 30, "127.0.10.2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the zone");
    }

    @Test
    void aServerThatIsDownIsATransportOutcomeNotAnException() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DnsUpdater down = DnsUpdater.builder().server(new InetSocketAddress("127.0.0.1", port))
                .timeout(Duration.ofMillis(300)).retries(1).build();
        UpdateResult r = down.update(DnsChange.of(zone, name, RecordType.A, 30, "127.0.10.2"));
        assertThat(r.outcome()).isIn(Outcome.TIMEOUT, Outcome.UNREACHABLE);
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void queryReadsWhatIsThereAndNothingForAMissingName() throws Exception {
        assertThat(updater.query(name, RecordType.A)).isEmpty();
        assertApplied(DnsChange.of(zone, name, RecordType.AAAA, 30, "::1"));
        assertThat(updater.query(zone, name, RecordType.AAAA)).containsExactly("::1");
    }

    private void assertApplied(DnsChange change) {
        UpdateResult r = updater.update(change);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    }

    private DnsUpdater updaterVia(ForgingRelay relay) throws Exception {
        return DnsUpdater.builder().server(relay.address()).tsigKey(TsigKey.fromFile(sandbox.path(Sandbox.DNS_TSIG_FILE)))
                .timeout(Duration.ofMillis(500)).retries(0).build();
    }

    private DnsUpdater updater(TsigKey key) {
        return DnsUpdater.builder().server(server).tsigKey(key).timeout(Duration.ofSeconds(2)).retries(1).build();
    }
}
