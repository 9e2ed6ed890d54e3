package org.vcrecovery.zabbix.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZabbixSenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) c.close();
    }

    private RecordingTrapper trapper() throws IOException {
        RecordingTrapper t = new RecordingTrapper();
        closeables.add(t);
        return t;
    }

    private static ZabbixSender senderTo(InetSocketAddress... servers) {
        return ZabbixSender.builder().servers(List.of(servers))
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void sendsOneBatchInTheSenderDataShapeAndParsesTheCounts() throws Exception {
        RecordingTrapper t = trapper();
        SenderResult r = senderTo(t.address()).send(List.of(
                new SenderValue("vm-host", "vm.state[web1]", "running"),
                new SenderValue("vm-host", "vm.cpu[web1]", "12.5", 1700000000L, 123456789)));

        JsonNode request = JSON.readTree(t.takeRequest());
        assertThat(request.get("request").asText()).isEqualTo("sender data");
        assertThat(request.get("data")).hasSize(2);
        assertThat(request.get("data").get(0).toString())
                .isEqualTo("{\"host\":\"vm-host\",\"key\":\"vm.state[web1]\",\"value\":\"running\"}");
        assertThat(request.get("data").get(1).toString()).isEqualTo(
                "{\"host\":\"vm-host\",\"key\":\"vm.cpu[web1]\",\"value\":\"12.5\",\"clock\":1700000000,\"ns\":123456789}");
        assertThat(r).isEqualTo(new SenderResult(2, 0, 2, 0.000055, true,
                "processed: 2; failed: 0; total: 2; seconds spent: 0.000055"));
        assertThat(r.allProcessed()).isTrue();
    }

    static Stream<Arguments> batches() {
        List<SenderValue> large = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) large.add(new SenderValue("host-" + (i % 10), "trap[" + i + "]", "v".repeat(80) + i));
        return Stream.of(
                Arguments.of("empty", List.of()),
                Arguments.of("utf-8 keys and values", List.of(new SenderValue("hôst-ж", "温度[\"quoted\",\\]", "🙂 line\nbreak\ttab"))),
                Arguments.of("over 1 MiB", large));
    }

    @ParameterizedTest(name = "{0}: every value arrives intact")
    @MethodSource("batches")
    void batchesArriveIntact(String name, List<SenderValue> values) throws Exception {
        RecordingTrapper t = trapper();
        SenderResult r = senderTo(t.address()).send(values);

        JsonNode data = JSON.readTree(t.takeRequest()).get("data");
        assertThat(data).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            assertThat(data.get(i).get("host").asText()).isEqualTo(values.get(i).host());
            assertThat(data.get(i).get("key").asText()).isEqualTo(values.get(i).key());
            assertThat(data.get(i).get("value").asText()).isEqualTo(values.get(i).value());
        }
        assertThat(r.total()).isEqualTo(values.size());
    }

    static Stream<Arguments> replies() {
        return Stream.of(
                Arguments.of("{\"response\":\"success\",\"info\":\"processed: 1; failed: 2; total: 3; seconds spent: 0.000100\"}",
                        new SenderResult(1, 2, 3, 0.0001, true, "processed: 1; failed: 2; total: 3; seconds spent: 0.000100")),
                Arguments.of("{\"response\":\"failed\",\"info\":\"host [x] not found\"}",
                        new SenderResult(0, 3, 3, 0.0, false, "host [x] not found")),
                Arguments.of("{\"response\":\"failed\"}", new SenderResult(0, 3, 3, 0.0, false, "")),
                Arguments.of("{\"version\":\"6.0.40\",\"response\":\"success\",\"extra\":{\"a\":[1]},"
                        + "\"info\":\"processed: 3; failed: 0; total: 3; seconds spent: 1.5e-05\"}",
                        new SenderResult(3, 0, 3, 1.5e-05, true, "processed: 3; failed: 0; total: 3; seconds spent: 1.5e-05")));
    }

    @ParameterizedTest(name = "reply {0} is data, not an exception")
    @MethodSource("replies")
    void repliesWithFailuresAreData(String reply, SenderResult expected) throws Exception {
        RecordingTrapper t = trapper().replyJson(reply);
        List<SenderValue> three = List.of(new SenderValue("h", "a", "1"), new SenderValue("h", "b", "2"),
                new SenderValue("h", "c", "3"));
        assertThat(senderTo(t.address()).send(three)).isEqualTo(expected);
    }

    static Stream<Arguments> malformedReplies() {
        return Stream.of(
                Arguments.of("an HTTP answer", "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        "expected ZBXD, got 48 54 54 50"),
                Arguments.of("a frame of text", RecordingTrapper.frame("ZBX_NOTSUPPORTED".getBytes(StandardCharsets.US_ASCII)),
                        "not a sender reply (16 bytes, starting 5a 42 58 5f"),
                Arguments.of("JSON without response", RecordingTrapper.frame("{\"info\":\"x\"}".getBytes(StandardCharsets.US_ASCII)),
                        "not a sender reply (12 bytes"),
                Arguments.of("success with an odd info", RecordingTrapper.frame(
                        "{\"response\":\"success\",\"info\":\"ok\"}".getBytes(StandardCharsets.US_ASCII)),
                        "unexpected info string: \"ok\""),
                Arguments.of("an over-long frame", new byte[] {'Z', 'B', 'X', 'D', 1, 0, 0, 0, 0x10, 0, 0, 0, 0},
                        "header declares 268435456 bytes, limit is 16777216"));
    }

    @ParameterizedTest(name = "{0} is refused naming what was seen")
    @MethodSource("malformedReplies")
    void malformedRepliesAreProtocolErrors(String name, byte[] reply, String message) throws Exception {
        RecordingTrapper t = trapper().replyRaw(reply);
        assertThatThrownBy(() -> senderTo(t.address()).send(List.of(new SenderValue("h", "k", "v"))))
                .isInstanceOf(SenderProtocolException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aRefusedServerIsSkippedAndTheNextOneGetsTheBatch() throws Exception {
        RecordingTrapper second = trapper();
        ZabbixSender sender = senderTo(closedPort(), second.address());

        SenderResult r = sender.send(List.of(new SenderValue("h", "k", "v")));

        assertThat(r.processed()).isEqualTo(1);
        assertThat(second.takeRequest()).contains("\"key\":\"k\"");
    }

    @Test
    void aServerTakingOverGetsTheReplayBeforeTheBatchAndOnlyThen() throws Exception {
        RecordingTrapper first = trapper();
        RecordingTrapper second = trapper();
        ZabbixSender sender = senderTo(first.address(), second.address());
        List<SenderValue> replay = List.of(new SenderValue("h", "acked-by-first", "1"));

        sender.send(List.of(new SenderValue("h", "k1", "v")), () -> replay);
        assertThat(first.takeRequest()).as("the first batch ever: nothing to replay").contains("\"key\":\"k1\"").doesNotContain("acked-by-first");
        first.close();                                     // the active node dies
        awaitRefused(first.address());
        SenderResult r = sender.send(List.of(new SenderValue("h", "k2", "v")), () -> replay);

        assertThat(r.processed()).as("counts are the batch's, not the replay's").isEqualTo(1);
        assertThat(second.takeRequest()).as("the replay, on its own connection, first").contains("acked-by-first").doesNotContain("k2");
        assertThat(second.takeRequest()).contains("\"key\":\"k2\"").doesNotContain("acked-by-first");
        sender.send(List.of(new SenderValue("h", "k3", "v")), () -> replay);
        assertThat(second.takeRequest()).as("same server again: no replay").contains("k3").doesNotContain("acked-by-first");
    }

    /** Waits (up to 5 s) until {@code a} refuses connections: a closed ServerSocket's port may linger while its accept thread leaves. */
    private static void awaitRefused(InetSocketAddress a) throws InterruptedException {
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; Thread.sleep(20)) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(a, 500);
            } catch (IOException e) {
                return;
            }
        }
        throw new AssertionError(a + " still accepts connections 5 s after its server was closed");
    }

    @Test
    void aServerThatNeverAnswersIsSkippedAfterTheReadTimeout() throws Exception {
        RecordingTrapper mute = trapper().silent();
        RecordingTrapper second = trapper();
        // long enough for a loaded CI box to answer from the second server, short enough to keep the test quick
        ZabbixSender sender = ZabbixSender.builder().server(mute.address()).server(second.address())
                .readTimeout(Duration.ofMillis(1500)).build();

        assertThat(sender.send(List.of(new SenderValue("h", "k", "v"))).processed()).isEqualTo(1);
        assertThat(mute.takeRequest()).contains("\"key\":\"k\"");
        assertThat(second.takeRequest()).contains("\"key\":\"k\"");
        // the next batch goes straight to the server that answered
        sender.send(List.of(new SenderValue("h", "k2", "v")));
        assertThat(second.takeRequest()).contains("\"key\":\"k2\"");
        assertThat(mute.requestCount()).isZero();
    }

    @Test
    void whenNoServerAnswersTheErrorNamesEachOne() throws Exception {
        RecordingTrapper mute = trapper().silent();
        InetSocketAddress refused = closedPort();
        ZabbixSender sender = ZabbixSender.builder().server(refused).server(mute.address())
                .readTimeout(Duration.ofMillis(200)).build();

        assertThatThrownBy(() -> sender.send(List.of(new SenderValue("h", "k", "v"))))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SenderProtocolException.class)
                .hasMessageContaining("no Zabbix server accepted the batch of 1 values")
                .hasMessageContaining(":" + refused.getPort() + ": ConnectException")
                .hasMessageContaining(":" + mute.address().getPort() + ": no reply within 200 ms");
    }

    @Test
    void aConnectionClosedWithoutReplyIsATransportFailure() throws Exception {
        RecordingTrapper t = trapper().replyRaw(new byte[0]);
        assertThatThrownBy(() -> senderTo(t.address()).send(List.of(new SenderValue("h", "k", "v"))))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SenderProtocolException.class)
                .hasMessageContaining("EOFException: connection closed inside the frame header: got 0 of 5 bytes");
    }

    @Test
    void aServerGivenByNameIsResolvedWhenConnecting() throws Exception {
        RecordingTrapper t = trapper();
        ZabbixSender sender = ZabbixSender.builder().server("localhost", t.address().getPort()).build();
        assertThat(sender.servers().get(0).isUnresolved()).isTrue();
        assertThat(sender.send(List.of(new SenderValue("h", "k", "v"))).processed()).isEqualTo(1);
    }

    @Test
    void theBuilderRefusesAnEmptyServerList() {
        assertThatThrownBy(() -> ZabbixSender.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("servers is empty");
    }

    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }
}
