package org.vcrecovery.vcr.standby.lxd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written HTTP/1.1 exchange over a unix socket, against a real socket server in the test. */
class UnixSocketTransportTest {
    @TempDir
    Path dir;

    /** A server with no response to give holds the connection open, silent, until the test ends. */
    private final CountDownLatch testEnded = new CountDownLatch(1);

    @AfterEach
    void endTest() {
        testEnded.countDown();
    }

    /** Serves one connection: reads the request head (and body), answers with {@code response}. */
    private Path serveOnce(String response, AtomicReference<String> request) throws Exception {
        Path sock = dir.resolve("lxd.socket");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (!got.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n") || !got.toString(StandardCharsets.US_ASCII).endsWith("}")
                        && got.toString(StandardCharsets.US_ASCII).contains("Content-Length: ") && !got.toString(StandardCharsets.US_ASCII).contains("Content-Length: 0")) {
                    buf.clear();
                    if (c.read(buf) < 0) break;
                    got.write(buf.array(), 0, buf.position());
                }
                request.set(got.toString(StandardCharsets.US_ASCII));
                if (response != null) c.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
                else testEnded.await();
            } catch (Exception ignored) {
                // test ended
            }
        });
        t.setDaemon(true);
        t.start();
        return sock;
    }

    @Test
    void sendsAMinimalRequestAndReadsAContentLengthAnswer() throws Exception {
        AtomicReference<String> req = new AtomicReference<>();
        String body = "{\"type\":\"sync\",\"metadata\":{}}";
        Path sock = serveOnce("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body, req);
        LxdTransport.Response r = new UnixSocketTransport(sock).exchange("PUT", "/1.0/instances/web/state",
                "{\"action\":\"start\"}", Duration.ofSeconds(2));
        assertThat(r).isEqualTo(new LxdTransport.Response(200, body));
        assertThat(req.get()).startsWith("PUT /1.0/instances/web/state HTTP/1.1\r\nHost: lxd\r\n")
                .contains("Content-Length: 18\r\n").endsWith("\r\n\r\n{\"action\":\"start\"}");
    }

    @Test
    void decodesAChunkedAnswer() throws Exception {
        Path sock = serveOnce("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "a\r\n{\"type\":\"e\r\n12\r\nrror\",\"error\":\"x\"}\r\n0\r\n\r\n", new AtomicReference<>());
        LxdTransport.Response r = new UnixSocketTransport(sock).exchange("GET", "/1.0/instances/x", null, Duration.ofSeconds(2));
        assertThat(r).isEqualTo(new LxdTransport.Response(404, "{\"type\":\"error\",\"error\":\"x\"}"));
    }

    @Test
    void aSilentDaemonTimesOut() throws Exception {
        Path sock = serveOnce(null, new AtomicReference<>());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> new UnixSocketTransport(sock).exchange("GET", "/1.0", null, Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 2000L);
    }

    @Test
    void garbageIsNotHttp() {
        assertThatThrownBy(() -> UnixSocketTransport.parse("SSH-2.0-x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageStartingWith("not an HTTP answer from LXD: 'SSH-2.0-x");
    }
}
