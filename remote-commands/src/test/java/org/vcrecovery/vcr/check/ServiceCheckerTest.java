package org.vcrecovery.vcr.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vcrecovery.vcr.check.FakePeer.says;
import static org.vcrecovery.vcr.check.FakePeer.saysAndCloses;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceCheckerTest {
    private static final Duration TIMEOUT = Duration.ofMillis(2000);
    private final ServiceChecker checker = new ServiceChecker();

    static Stream<Arguments> greetings() {
        return Stream.of(
                // protocol, what the peer sends, up?, expected detail fragment
                Arguments.of(Protocol.SMTP, "220 mail.example.test ESMTP Exim 4.96\r\n", true, "220 mail.example.test ESMTP"),
                Arguments.of(Protocol.SMTP, "220-mail.example.test first line\r\n220 second\r\n", true, "220-mail"),
                Arguments.of(Protocol.SMTP, "554 no service for you\r\n", false, "expected SMTP 220 greeting, got: '554 no service"),
                Arguments.of(Protocol.SMTP, "SSH-2.0-OpenSSH_9.2p1\r\n", false, "got: 'SSH-2.0-OpenSSH_9.2p1'"),
                Arguments.of(Protocol.FTP, "220 (vsFTPd 3.0.3)\r\n", true, "220 (vsFTPd 3.0.3)"),
                Arguments.of(Protocol.FTP, "421 too many users\r\n", false, "expected FTP 220 greeting, got: '421"),
                Arguments.of(Protocol.SSH, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", true, "SSH-2.0-OpenSSH_9.2p1 Debian-2"),
                Arguments.of(Protocol.SSH, "SSH-1.99-OldServer\n", true, "SSH-1.99-OldServer"),
                Arguments.of(Protocol.SSH, "welcome banner\r\nSSH-2.0-dropbear\r\n", true, "SSH-2.0-dropbear"),
                Arguments.of(Protocol.SSH, "SSH-1.5-ancient\r\n", false, "unsupported SSH version: 'SSH-1.5-ancient'"),
                Arguments.of(Protocol.SSH, "220 smtp here\r\n", false, "expected SSH-2.0- identification, got: '220 smtp here'"),
                Arguments.of(Protocol.SSH, "hello\r\n", false, "expected SSH-2.0- identification, got: 'hello', then no greeting"),
                Arguments.of(Protocol.HTTP, "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", true, "HTTP/1.1 200 OK"),
                Arguments.of(Protocol.HTTP, "HTTP/1.0 301 Moved Permanently\r\n\r\n", true, "HTTP/1.0 301 Moved Permanently"),
                Arguments.of(Protocol.HTTP, "HTTP/1.1 404 Not Found\r\n\r\n", true, "HTTP/1.1 404 Not Found"),
                Arguments.of(Protocol.HTTP, "HTTP/1.1 503 Service Unavailable\r\n\r\n", false, "HTTP server error: HTTP/1.1 503 Service Unavailable"),
                Arguments.of(Protocol.HTTP, "220 smtp here\r\n", false, "expected an HTTP/1.x status line, got: '220 smtp here'"),
                Arguments.of(Protocol.HTTP, "HTTP/1.1 2x0 OK\r\n", false, "expected an HTTP/1.x status line"),
                Arguments.of(Protocol.SMTP, "\u0000\u00ff\u0013binary junk\u0007\r\n", false, "got: '???binary junk?'"),
                Arguments.of(Protocol.SMTP, "\r\n", false, "got: an empty line"));
    }

    @ParameterizedTest(name = "{0} peer saying {1} is up={2}")
    @MethodSource("greetings")
    void judgesWhatThePeerSays(Protocol protocol, String greeting, boolean up, String detail) throws Exception {
        try (FakePeer peer = new FakePeer(says(greeting))) {
            CheckResult r = checker.check(peer.address(), protocol, TIMEOUT);
            assertThat(r.up()).as(r.summary()).isEqualTo(up);
            assertThat(r.detail()).contains(detail);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.protocol()).isEqualTo(protocol);
        }
    }

    @Test
    void tcpIsUpAsSoonAsTheConnectSucceeds() throws Exception {
        try (FakePeer peer = new FakePeer((s, n) -> { })) {
            CheckResult r = checker.check(peer.address(), Protocol.TCP, TIMEOUT);
            assertThat(r.up()).isTrue();
            assertThat(r.detail()).isEqualTo("connected");
            assertThat(r.endpoint()).isEqualTo("127.0.0.1:" + peer.address().getPort());
        }
    }

    @Test
    void aClosedPortIsDownAsRefused() throws Exception {
        CheckResult r = checker.check(FakePeer.closedPort(), Protocol.TCP, TIMEOUT);
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).isEqualTo("connection refused");
    }

    @Test
    void aPeerThatAcceptsAndSaysNothingIsDownWhenTheTimeoutEnds() throws Exception {
        try (FakePeer peer = new FakePeer((s, n) -> { })) {
            CheckResult r = checker.check(peer.address(), Protocol.SMTP, Duration.ofMillis(200));
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).contains("no greeting within the timeout");
            assertThat(r.millis()).isBetween(150L, 1500L);
        }
    }

    @Test
    void aPeerThatResetsIsDownAsReset() throws Exception {
        try (FakePeer peer = new FakePeer((s, n) -> {
            s.setSoLinger(true, 0);
            s.close();
        })) {
            CheckResult r = checker.check(peer.address(), Protocol.SSH, TIMEOUT);
            assertThat(r.up()).isFalse();
            // The RST may arrive before or during the read: either way it is not a greeting.
            assertThat(r.detail()).containsAnyOf("connection reset by peer", "connection closed by peer");
        }
    }

    @Test
    void aPeerThatClosesWithoutAWordIsDown() throws Exception {
        try (FakePeer peer = new FakePeer(saysAndCloses(""))) {
            CheckResult r = checker.check(peer.address(), Protocol.FTP, TIMEOUT);
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).startsWith("connection closed by peer without a word");
        }
    }

    @Test
    void aGreetingWithoutNewlineBeforeCloseStillCounts() throws Exception {
        try (FakePeer peer = new FakePeer(saysAndCloses("220 terse"))) {
            assertThat(checker.check(peer.address(), Protocol.SMTP, TIMEOUT).up()).isTrue();
        }
    }

    @Test
    void anEndlessLineIsCutAtTheBoundAndDown() throws Exception {
        try (FakePeer peer = new FakePeer(says("220" + "x".repeat(5000)))) {
            CheckResult r = checker.check(peer.address(), Protocol.SMTP, TIMEOUT);
            assertThat(r.up()).isFalse();
            assertThat(r.detail()).startsWith("line longer than 1024 bytes");
            assertThat(r.detail().length()).isLessThan(300);
        }
    }

    @Test
    void aSlowBannerThatArrivesInTimeIsUp() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (FakePeer peer = new FakePeer((s, n) -> {
            try {
                never.await(150, TimeUnit.MILLISECONDS); // the banner comes 150 ms after accept
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FakePeer.write(s, "220 slow but fine\r\n");
        })) {
            CheckResult r = checker.check(peer.address(), Protocol.SMTP, TIMEOUT);
            assertThat(r.up()).isTrue();
            assertThat(r.millis()).isGreaterThanOrEqualTo(140L);
        }
    }

    @Test
    void httpSendsAHeadRequestWithHost() throws Exception {
        StringBuffer request = new StringBuffer();
        try (FakePeer peer = new FakePeer((s, n) -> {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            int len = in.read(buf);
            request.append(new String(buf, 0, Math.max(0, len), StandardCharsets.US_ASCII));
            FakePeer.write(s, "HTTP/1.0 200 OK\r\n\r\n");
        })) {
            InetSocketAddress a = peer.address();
            assertThat(checker.check(a, Protocol.HTTP, TIMEOUT).up()).isTrue();
            assertThat(request.toString()).startsWith("HEAD / HTTP/1.0\r\n").contains("Host: 127.0.0.1:" + a.getPort() + "\r\n");
        }
    }

    @Test
    void checkUntilRetriesUntilTheServiceGreets() throws Exception {
        try (FakePeer peer = new FakePeer((s, n) -> FakePeer.write(s, n < 3 ? "421 starting\r\n" : "220 ready\r\n"))) {
            CheckResult r = checker.checkUntil(peer.address(), Protocol.SMTP, Duration.ofMillis(500),
                    Instant.now().plusSeconds(5), Duration.ofMillis(20));
            assertThat(r.up()).isTrue();
            assertThat(r.attempts()).isEqualTo(3);
            assertThat(r.detail()).isEqualTo("220 ready");
            assertThat(r.summary()).contains("smtp up in").contains("(3 attempts)");
        }
    }

    @Test
    void checkUntilGivesUpAtTheDeadlineWithTheLastReason() throws Exception {
        InetSocketAddress closed = FakePeer.closedPort();
        CheckResult r = checker.checkUntil(closed, Protocol.HTTP, Duration.ofMillis(100),
                Instant.now().plusMillis(300), Duration.ofMillis(20));
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).isEqualTo("connection refused");
        assertThat(r.attempts()).isGreaterThan(2);
        assertThat(r.millis()).isBetween(250L, 1500L);
    }

    @Test
    void checkUntilNeverRunsAnAttemptPastTheDeadline() throws Exception {
        try (FakePeer peer = new FakePeer((s, n) -> { })) {
            CheckResult r = checker.checkUntil(peer.address(), Protocol.SSH, Duration.ofSeconds(5),
                    Instant.now().plusMillis(300), Duration.ofMillis(20));
            assertThat(r.up()).isFalse();
            assertThat(r.millis()).isBetween(250L, 1500L);
        }
    }

    @Test
    void anUnresolvedHostIsDownNotAnException() {
        CheckResult r = checker.check(InetSocketAddress.createUnresolved("no-such-host.invalid", 25), Protocol.SMTP, TIMEOUT);
        assertThat(r.up()).isFalse();
        assertThat(r.detail()).isEqualTo("cannot resolve host 'no-such-host.invalid'");
    }

    @Test
    void resultsRenderAsOneLineAndAsJson() {
        CheckResult r = new CheckResult(true, Protocol.SMTP, "127.0.0.1:25", "220 mail \"ESMTP\"", 3, 1);
        assertThat(r.summary()).isEqualTo("127.0.0.1:25 smtp up in 3 ms: 220 mail \"ESMTP\"");
        assertThat(r.toJson()).isEqualTo("{\"up\":true,\"protocol\":\"smtp\",\"endpoint\":\"127.0.0.1:25\","
                + "\"detail\":\"220 mail \\\"ESMTP\\\"\",\"millis\":3,\"attempts\":1}");
    }

    @Test
    void protocolNamesParseCaseInsensitivelyAndRejectOthers() {
        assertThat(Protocol.parse("SmTp")).isEqualTo(Protocol.SMTP);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Protocol.parse("gopher"))
                .hasMessageContaining("'gopher' is not one of tcp, http, smtp, ftp, ssh");
    }

    @Test
    void resultsRejectNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CheckResult(true, Protocol.TCP, "x:1", "d", 0, 0))
                .hasMessageContaining("attempts");
    }
}
