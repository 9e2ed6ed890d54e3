package org.vcrecovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/** DnsUpdater against a scripted server on a loopback port: transport, retries, TSIG checks. */
class DnsUpdaterTest {
    private static final DnsChange CHANGE = DnsChange.of("example.test", "www", RecordType.A, 30, "127.0.10.2");
    private static final TsigKey KEY = TsigKey.parse("vcr-key:" + TsigKeyTest.SECRET);
    private static final TsigKey OTHER_KEY = TsigKey.parse("vcr-key:" + "b3RoZXItb3RoZXItb3RoZXItb3RoZXItb3RoZXItb3Q=");

    private FakeDnsServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void preloadDoesAllItsFirstUseWorkWithoutSendingAnything() {
        // a step that throws would silently stop warming the rest: the first exchange would pay for it
        assertThat(Warmup.warm()).isTrue();
    }

    @Test
    void aTruncatedUdpReplyIsRetriedOverTcp() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> {
            Message r = FakeDnsServer.replyTo(req, Rcode.NOERROR);
            if (!tcp) r.getHeader().setFlag(Flags.TC);
            return r.toWire();
        });
        UpdateResult r = updater(null, Duration.ofSeconds(2), 0).update(CHANGE);
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.tcp()).isTrue();
        FakeDnsServer.Received first = server.takeRequest();
        FakeDnsServer.Received second = server.takeRequest();
        assertThat(first.tcp()).isFalse();
        assertThat(second.tcp()).isTrue();
        assertThat(second.message().getHeader().getID()).isEqualTo(first.message().getHeader().getID());
        assertThat(second.message().getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
    }

    @Test
    void silenceIsRetriedThenReportedAsTimeout() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> null);
        UpdateResult r = updater(null, Duration.ofMillis(100), 2).update(CHANGE);
        assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(r.attempts()).isEqualTo(3);
        // three waits of 100 ms (a socket timeout may end a fraction of a millisecond before nanoTime says it should)
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(295));
        assertThat(r.message()).contains("no reply from", "3 attempt(s) of 100 ms");
        int id = server.takeRequest().message().getHeader().getID();
        assertThat(server.takeRequest().message().getHeader().getID()).isEqualTo(id);
        assertThat(server.takeRequest().message().getHeader().getID()).isEqualTo(id);
    }

    @Test
    void aReplyAfterOneTimeoutIsTaken() throws Exception {
        AtomicInteger n = new AtomicInteger();
        server = new FakeDnsServer((req, wire, tcp) ->
                n.incrementAndGet() == 1 ? null : FakeDnsServer.replyTo(req, Rcode.NOERROR).toWire());
        UpdateResult r = updater(null, Duration.ofMillis(150), 2).update(CHANGE);
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.attempts()).isEqualTo(2);
    }

    @Test
    void aReplyWithAnotherIdIsNotTakenAsOurs() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> {
            Message r = FakeDnsServer.replyTo(req, Rcode.NOERROR);
            r.getHeader().setID((req.getHeader().getID() + 1) & 0xffff);
            return r.toWire();
        });
        assertThat(updater(null, Duration.ofMillis(100), 0).update(CHANGE).outcome()).isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void aPortWithNothingListeningIsUnreachableWithoutWaiting() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DnsUpdater u = DnsUpdater.builder().server(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .timeout(Duration.ofSeconds(5)).retries(0).build();
        UpdateResult r = u.update(CHANGE);
        assertThat(r.outcome()).isIn(Outcome.UNREACHABLE, Outcome.TIMEOUT);
        assertThat(r.applied()).isFalse();
    }

    @Test
    void theRequestIsSignedAndASignedReplyVerifies() throws Exception {
        TSIG serverKey = KEY.toTsig();
        AtomicInteger serverCheck = new AtomicInteger(-1);
        server = new FakeDnsServer((req, wire, tcp) -> {
            serverCheck.set(serverKey.verify(req, wire, null));
            Message r = FakeDnsServer.replyTo(req, Rcode.NOERROR);
            serverKey.apply(r, req.getTSIG());
            return r.toWire();
        });
        UpdateResult r = updater(KEY, Duration.ofSeconds(2), 0).update(CHANGE);
        assertThat(serverCheck.get()).isEqualTo(Rcode.NOERROR);
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void anUnsignedSuccessReplyToASignedUpdateIsIgnoredAndNeverTakenAsApplied() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> FakeDnsServer.replyTo(req, Rcode.NOERROR).toWire());
        UpdateResult r = updater(KEY, Duration.ofMillis(200), 0).update(CHANGE);
        assertThat(r.outcome()).isEqualTo(Outcome.UNVERIFIED);
        assertThat(r.message()).contains("not signed with the key, ignored", "NOERROR, unsigned",
                "may or may not have happened");
    }

    @Test
    void aSuccessReplySignedWithAnotherSecretIsIgnored() throws Exception {
        TSIG wrong = OTHER_KEY.toTsig();
        server = new FakeDnsServer((req, wire, tcp) -> {
            Message r = FakeDnsServer.replyTo(req, Rcode.NOERROR);
            wrong.apply(r, req.getTSIG());
            return r.toWire();
        });
        UpdateResult r = updater(KEY, Duration.ofMillis(200), 0).update(CHANGE);
        assertThat(r.outcome()).isEqualTo(Outcome.UNVERIFIED);
        assertThat(r.message()).contains("signature did not verify");
    }

    @Test
    void aForgedUnsignedConflictBeforeTheRealSignedReplyIsIgnored() throws Exception {
        TSIG serverKey = KEY.toTsig();
        server = new FakeDnsServer((req, wire, tcp) -> signed(serverKey, req, Rcode.NOERROR));
        server.spoof((req, wire, tcp) -> FakeDnsServer.replyTo(req, Rcode.NXRRSET).toWire());
        UpdateResult r = updater(KEY, Duration.ofSeconds(2), 0).update(CHANGE.expecting("127.0.0.1"));
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        assertThat(r.attempts()).isEqualTo(1);
    }

    @Test
    void aForgedConflictWhenTheRealReplyIsLostIsSettledByASignedQueryNotTakenAsAConflict() throws Exception {
        TSIG serverKey = KEY.toTsig();
        // the update applied; its reply is lost, a forger answers NXRRSET ("nothing changed")
        server = new FakeDnsServer((req, wire, tcp) -> req.getHeader().getOpcode() == Opcode.UPDATE
                ? FakeDnsServer.replyTo(req, Rcode.NXRRSET).toWire()
                : signedAnswer(serverKey, req, "127.0.10.2"));
        UpdateResult r = updater(KEY, Duration.ofMillis(200), 1).update(CHANGE.expecting("127.0.0.1"));
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        assertThat(r.message()).contains("a signed query shows it", "NXRRSET, unsigned");
    }

    @Test
    void aForgedConflictWhenNothingAppliedIsUnverifiedSayingWhatTheRecordHolds() throws Exception {
        TSIG serverKey = KEY.toTsig();
        server = new FakeDnsServer((req, wire, tcp) -> req.getHeader().getOpcode() == Opcode.UPDATE
                ? FakeDnsServer.replyTo(req, Rcode.REFUSED).toWire()
                : signedAnswer(serverKey, req, "127.0.0.1"));
        UpdateResult r = updater(KEY, Duration.ofMillis(200), 0).update(CHANGE.expecting("127.0.0.1"));
        assertThat(r.outcome()).isEqualTo(Outcome.UNVERIFIED);
        assertThat(r.outcome().isTransportFailure()).isTrue();
        assertThat(r.message()).contains("REFUSED, unsigned", "not applied: a signed query shows www.example.test. A 127.0.0.1");
    }

    @Test
    void anUnsignedNxdomainToASignedQueryIsNotTakenAsAnAbsentRecord() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> FakeDnsServer.replyTo(req, Rcode.NXDOMAIN).toWire());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> updater(KEY, Duration.ofMillis(200), 0).query("www.example.test.", RecordType.A))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(Outcome.UNVERIFIED);
                    assertThat(e.getMessage()).contains("NXDOMAIN, unsigned");
                });
    }

    @Test
    void badTimeShowsTheServersClockAndOurs() throws Exception {
        Instant serverNow = Instant.now().plusSeconds(3600);
        // as BIND answers (RFC 8945 5.2.3): signed, the request's time signed, the server's clock in other data
        TSIG serverKey = new TSIG(TSIG.HMAC_SHA256, Name.fromString("vcr-key."),
                new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(TsigKeyTest.SECRET), "HmacSHA256"),
                java.time.Clock.fixed(serverNow, java.time.ZoneOffset.UTC));
        server = new FakeDnsServer((req, wire, tcp) -> {
            Message r = FakeDnsServer.replyTo(req, Rcode.NOTAUTH);
            serverKey.apply(r, Rcode.BADTIME, req.getTSIG());
            return r.toWire();
        });
        UpdateResult r = updater(KEY, Duration.ofSeconds(2), 0).update(CHANGE);
        assertThat(r.outcome()).isEqualTo(Outcome.BADTIME);
        assertThat(r.message()).contains("server time " + serverNow.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), "skew 3", "NTP");
    }

    @Test
    void aConflictSaysWhatTheRecordHoldsNow() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> req.getHeader().getOpcode() == Opcode.UPDATE
                ? FakeDnsServer.replyTo(req, Rcode.NXRRSET).toWire()
                : answer(req, "127.0.0.9"));
        UpdateResult r = updater(null, Duration.ofSeconds(2), 0).update(CHANGE.expecting("127.0.0.1"));
        assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(r.message()).isEqualTo("www.example.test. A is 127.0.0.9, not 127.0.0.1 as expected: "
                + "someone else changed it; nothing changed (NXRRSET)");
    }

    @Test
    void aConflictOnRetryBecauseTheLostFirstAttemptAppliedIsApplied() throws Exception {
        AtomicInteger updates = new AtomicInteger();
        server = new FakeDnsServer((req, wire, tcp) -> {
            if (req.getHeader().getOpcode() != Opcode.UPDATE) return answer(req, "127.0.10.2");
            return updates.incrementAndGet() == 1 ? null : FakeDnsServer.replyTo(req, Rcode.NXRRSET).toWire();
        });
        UpdateResult r = updater(null, Duration.ofMillis(150), 1).update(CHANGE.expecting("127.0.0.1"));
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.message()).contains("earlier attempt");
    }

    @Test
    void verifyPollsUntilTheServerAnswersTheNewValues() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        server = new FakeDnsServer((req, wire, tcp) -> answer(req, queries.incrementAndGet() < 3 ? "127.0.0.9" : "127.0.10.2"));
        VerifyResult v = updater(null, Duration.ofSeconds(1), 0).verify(CHANGE, Duration.ofSeconds(5));
        assertThat(v.matched()).isTrue();
        assertThat(v.queries()).isEqualTo(3);
        assertThat(v.lastSeen()).containsExactly("127.0.10.2");
        Message q = server.takeRequest().message();
        assertThat(q.getHeader().getFlag(Flags.RD)).isFalse();
    }

    @Test
    void verifyGivesUpAtTheDeadlineSayingWhatItSaw() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> answer(req, "127.0.0.9"));
        VerifyResult v = updater(null, Duration.ofSeconds(1), 0).verify(CHANGE, Duration.ofMillis(200));
        assertThat(v.matched()).isFalse();
        assertThat(v.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(v.message()).contains("still answers 127.0.0.9 instead of 127.0.10.2");
    }

    @Test
    void aMissingNameQueriesAsEmptyAndARefusalIsAnError() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> FakeDnsServer.replyTo(req, Rcode.NXDOMAIN).toWire());
        assertThat(updater(null, Duration.ofSeconds(1), 0).query("www.example.test.", RecordType.A)).isEmpty();
        server.handler((req, wire, tcp) -> FakeDnsServer.replyTo(req, Rcode.REFUSED).toWire());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> updater(null, Duration.ofSeconds(1), 0).query("www.example.test.", RecordType.A))
                .isInstanceOfSatisfying(DnsException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.REFUSED));
    }

    @Test
    void anUpdateTooBigForADatagramGoesStraightToTcp() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> FakeDnsServer.replyTo(req, Rcode.NOERROR).toWire());
        String[] many = new String[60];
        for (int i = 0; i < many.length; i++) many[i] = "127.0.11." + (i + 1);
        UpdateResult r = updater(null, Duration.ofSeconds(2), 0).update(DnsChange.of("example.test", "www", RecordType.A, 30, many));
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.tcp()).isTrue();
        assertThat(server.takeRequest().tcp()).isTrue();
    }

    @Test
    void withoutAServerThePrimaryIsTheSoaMname() throws Exception {
        server = new FakeDnsServer((req, wire, tcp) -> {
            Message r = FakeDnsServer.replyTo(req, Rcode.NOERROR);
            Name zone = Name.fromString("example.test.");
            r.addRecord(new SOARecord(zone, DClass.IN, 300, Name.fromString("localhost."), Name.fromString("admin.example.test."),
                    1, 60, 60, 600, 60), Section.AUTHORITY);
            return r.toWire();
        });
        PrimaryLocator locator = new PrimaryLocator(new Transport(Duration.ofSeconds(1), 0), server.address());
        InetSocketAddress primary = locator.primaryFor(Name.fromString("www.example.test."));
        assertThat(primary.getAddress().isLoopbackAddress()).isTrue();
        assertThat(primary.getPort()).isEqualTo(53);
        assertThat(server.takeRequest().message().getQuestion().getType()).isEqualTo(org.xbill.DNS.Type.SOA);
    }

    private DnsUpdater updater(TsigKey key, Duration timeout, int retries) {
        return DnsUpdater.builder().server(server.address()).tsigKey(key).timeout(timeout).retries(retries).build();
    }

    private static byte[] signed(TSIG key, Message req, int rcode) {
        Message r = FakeDnsServer.replyTo(req, rcode);
        key.apply(r, req.getTSIG());
        return r.toWire();
    }

    private static byte[] signedAnswer(TSIG key, Message req, String... addresses) throws java.io.IOException {
        Message r = new Message(answer(req, addresses));
        key.apply(r, req.getTSIG());
        return r.toWire();
    }

    private static byte[] answer(Message req, String... addresses) throws java.io.IOException {
        Message r = FakeDnsServer.replyTo(req, Rcode.NOERROR);
        r.getHeader().setFlag(Flags.AA);
        Name n = req.getQuestion().getName();
        for (String a : addresses) r.addRecord(new ARecord(n, DClass.IN, 30, InetAddress.getByName(a)), Section.ANSWER);
        return r.toWire();
    }

}
