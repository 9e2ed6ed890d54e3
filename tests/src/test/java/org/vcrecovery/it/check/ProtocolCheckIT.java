package org.vcrecovery.it.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;

/**
 * {@code vcr check-port} against the real daemons the sandbox runs on loopback (busybox httpd,
 * OpenSSH, vsftpd, Exim), through the command line as Zabbix would run it.
 */
class ProtocolCheckIT {
    private static VcrRun check(String daemonKey, String protocol, String... extra) {
        InetSocketAddress a = Sandbox.get().address(daemonKey);
        String[] base = {"check-port", "--host", a.getHostString(), "--port", Integer.toString(a.getPort()),
            "--protocol", protocol};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return VcrRun.of(all);
    }

    static Stream<Arguments> daemons() {
        return Stream.of(
                Arguments.of(Sandbox.HTTP_DAEMON, "http", "http up in \\d+ ms: HTTP/1\\.[01] [1-4]\\d\\d.*"),
                Arguments.of(Sandbox.SSH_DAEMON, "ssh", "ssh up in \\d+ ms: SSH-2\\.0-OpenSSH.*"),
                Arguments.of(Sandbox.FTP_DAEMON, "ftp", "ftp up in \\d+ ms: 220.*"),
                Arguments.of(Sandbox.SMTP_DAEMON, "smtp", "smtp up in \\d+ ms: 220 .*ESMTP.*"),
                Arguments.of(Sandbox.SMTP_DAEMON, "tcp", "tcp up in \\d+ ms: connected"));
    }

    @ParameterizedTest(name = "{1} check of {0} is up")
    @MethodSource("daemons")
    void realDaemonsAnswerTheirProtocol(String key, String protocol, String expected) {
        VcrRun r = check(key, protocol, "--timeout-ms", "2000");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        InetSocketAddress a = Sandbox.get().address(key);
        assertThat(r.out().strip()).matches(a.getHostString() + ":" + a.getPort() + " " + expected);
        assertThat(r.out().lines()).hasSize(1);
        assertThat(r.err()).isEmpty();
    }

    static Stream<Arguments> wrongProtocols() {
        return Stream.of(
                Arguments.of(Sandbox.SSH_DAEMON, "smtp", "expected SMTP 220 greeting, got: 'SSH-2.0-OpenSSH"),
                Arguments.of(Sandbox.SMTP_DAEMON, "ssh", "expected SSH-2.0- identification, got: '220 "),
                Arguments.of(Sandbox.FTP_DAEMON, "http", "expected an HTTP/1.x status line, got: '220"),
                Arguments.of(Sandbox.HTTP_DAEMON, "ftp", "(expected a FTP 220 greeting)"));
    }

    @ParameterizedTest(name = "{1} check of {0} is down")
    @MethodSource("wrongProtocols")
    void aWrongProtocolIsDownAndNamesWhatItSaw(String key, String protocol, String detail) {
        VcrRun r = check(key, protocol, "--timeout-ms", "500");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
        assertThat(r.out()).contains(protocol + " down after").contains(detail);
    }

    @Test
    void aPortNobodyListensOnIsDownAsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        VcrRun r = VcrRun.of("check-port", "--host", "127.0.0.1", "--port", Integer.toString(port), "--protocol", "http", "--json");
        assertThat(r.exit()).isEqualTo(7);
        assertThat(r.out().strip()).startsWith("{\"up\":false,\"protocol\":\"http\",\"endpoint\":\"127.0.0.1:" + port
                + "\",\"detail\":\"connection refused\"");
    }

    @Test
    void jsonOutputCarriesTheGreeting() {
        VcrRun r = check(Sandbox.SSH_DAEMON, "ssh", "--json", "--timeout-ms", "2000");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).startsWith("{\"up\":true,\"protocol\":\"ssh\"").contains("\"detail\":\"SSH-2.0-OpenSSH");
    }

    @Test
    void aMacroWithShellMetacharactersIsRejectedBeforeAnyConnect() {
        VcrRun r = VcrRun.of("check-port", "--host", "127.0.0.1; rm -rf /", "--port", "22");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vcr: --host must be an IP address or a host name");
        assertThat(r.out()).isEmpty();
    }
}
