package org.vcrecovery.vcr.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.VcrConsole;

class CheckPortCommandTest {
    final VcrConsole console = new VcrConsole();

    private int vcr(String... args) {
        return console.vcr(args);
    }

    @Test
    void anAnsweringServiceExitsZeroWithOneLine() throws Exception {
        try (FakePeer peer = new FakePeer(FakePeer.says("220 mail ESMTP\r\n"))) {
            int code = vcr("check-port", "--host", "127.0.0.1", "--port", "" + peer.address().getPort(), "--protocol", "smtp");
            assertThat(code).isZero();
            assertThat(console.out()).matches("127\\.0\\.0\\.1:\\d+ smtp up in \\d+ ms: 220 mail ESMTP\\R");
            assertThat(console.err()).isEmpty();
        }
    }

    @Test
    void aDownServiceExitsSevenAndSaysWhy() throws Exception {
        int port = FakePeer.closedPort().getPort();
        int code = vcr("check-port", "--host", "127.0.0.1", "--port", "" + port, "--json");
        assertThat(code).isEqualTo(7);
        assertThat(console.out().strip())
                .startsWith("{\"up\":false,\"protocol\":\"tcp\",\"endpoint\":\"127.0.0.1:" + port + "\",\"detail\":\"connection refused\"");
    }

    @Test
    void waitRetriesUntilTheDeadline() throws Exception {
        int port = FakePeer.closedPort().getPort();
        int code = vcr("check-port", "--host", "127.0.0.1", "--port", "" + port, "--wait-ms", "200", "--timeout-ms", "50");
        assertThat(code).isEqualTo(7);
        // several attempts within the wait; on a loaded machine one may time out (50 ms) instead of being refused
        assertThat(console.out()).containsPattern(" down after [0-9]+ ms \\(([2-9]|[1-9][0-9]+) attempts\\): (connection refused|connect timed out)");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(new String[] {"--host", "127.0.0.1; rm -rf /", "--port", "80"}, "--host must be an IP address or a host name"),
                Arguments.of(new String[] {"--host", "$(reboot)", "--port", "80"}, "--host must be an IP address or a host name"),
                Arguments.of(new String[] {"--host", "300.1.1.1", "--port", "80"}, "is not a valid IPv4 address"),
                Arguments.of(new String[] {"--host", "127.0.0.1", "--port", "0"}, "--port must be 1-65535, got 0"),
                Arguments.of(new String[] {"--host", "127.0.0.1", "--port", "65536"}, "--port must be 1-65535"),
                Arguments.of(new String[] {"--host", "127.0.0.1", "--port", "eighty"}, "eighty"),
                Arguments.of(new String[] {"--host", "127.0.0.1", "--port", "25", "--protocol", "smtps"}, "'smtps' is not one of"),
                Arguments.of(new String[] {"--host", "127.0.0.1", "--port", "25", "--timeout-ms", "0"}, "--timeout-ms must be 1-600000"),
                Arguments.of(new String[] {"--host", "127.0.0.1", "--port", "25", "--wait-ms", "-1"}, "--wait-ms must be 0-3600000"),
                Arguments.of(new String[] {"--port", "25"}, "--host"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInput")
    void badInputExitsTwoAndContactsNothing(String[] args, String message) {
        String[] full = new String[args.length + 1];
        full[0] = "check-port";
        System.arraycopy(args, 0, full, 1, args.length);
        assertThat(vcr(full)).isEqualTo(2);
        assertThat(console.err()).contains(message);
        assertThat(console.out()).isEmpty();
    }

    @Test
    void hostNamesAndIpv6LiteralsAreAccepted() throws Exception {
        assertThat(CheckPortCommand.resolve("localhost", 25).getPort()).isEqualTo(25);
        assertThat(CheckPortCommand.resolve("::1", 25).getAddress().isLoopbackAddress()).isTrue();
        assertThat(CheckPortCommand.resolve("[::1]", 25).getAddress().isLoopbackAddress()).isTrue();
        assertThat(CheckPortCommand.resolve("mail.example.test", 25).getHostString()).isEqualTo("mail.example.test");
    }
}
