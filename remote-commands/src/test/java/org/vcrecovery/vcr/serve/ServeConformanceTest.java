package org.vcrecovery.vcr.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ends of the {@code vcr serve} wire protocol against each other: the repository's real
 * {@code bin/vcr} (the bash client, run as a process) talks to a server in this JVM that reads
 * and answers with {@link ServeProtocol} itself, through every frame: the request (token, env
 * lines, argc, NUL-ended arguments), {@code accepted}, {@code err}, {@code done}, {@code denied},
 * {@code fallback}, and a connection that ends mid-run. A change to either side's framing fails
 * here until the other follows. A "local run" (the client running vcr itself) is seen through a
 * stand-in {@code java} that prints what it was given.
 */
class ServeConformanceTest {
    static final String TOKEN = "c0ffee0123456789";
    /** Arguments bash must pass through untouched: spaces, a macro, a newline, UTF-8, an empty one. */
    static final List<String> ARGS = List.of("recover", "--event-id", "12345", "--vm", "{EVENT.TAGS.vm}",
            "--trigger-host", "kvm 1", "two\nlines", "Zürich — ✓", "");

    @TempDir
    Path dir;
    ServerSocket server;
    Path vcr;
    /** The server and the client's stderr reader each on a thread of its own (the common pool may have only one). */
    final ExecutorService threads = Executors.newCachedThreadPool();

    /** What the server does once it has read the request with {@link ServeProtocol#read}. */
    interface Script {
        void answer(ServeProtocol.Request request, OutputStream out) throws IOException;
    }

    record Client(int exit, String out, String err) {}

    @BeforeEach
    void install() throws IOException {
        // bin/vcr as shipped, in a tree of its own: lib/ makes it a distribution, and its java only says it ran
        vcr = Files.createDirectories(dir.resolve("bin")).resolve("vcr");
        Files.copy(Path.of("..", "bin", "vcr"), vcr);
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/vcr.classpath"), "lib/vcr.jar\n");
        Path java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/bash\nprintf 'ran here:'; printf ' [%s]' \"${@: -" + ARGS.size() + "}\"; echo\nexit 42\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        AddressFile.write(dir.resolve("serve"), (InetSocketAddress) server.getLocalSocketAddress(), TOKEN);
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    /** Runs bin/vcr ARGS while the server answers its one connection with {@code script}; returns what the server read. */
    CompletableFuture<ServeProtocol.Request> serve(Script script) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                ServeProtocol.Request r = ServeProtocol.read(in, TOKEN.getBytes(StandardCharsets.US_ASCII));
                script.answer(r, s.getOutputStream());
                return r;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    Client client() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", vcr.toString());
        pb.command().addAll(ARGS);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("VCR_"));
        env.put("VCR_SERVE_FILE", dir.resolve("serve").toString());
        env.put("VCR_CONFIG", "/etc/vcrecovery/vcr.yaml");
        env.put("VCR_STATE_DIR", "/var/lib/vcr state");
        env.put("VCR_CDS", "off");
        env.put("JAVA_HOME", dir.resolve("jdk").toString());
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("bin/vcr ended").isTrue();
        return new Client(p.exitValue(), out, new String(err.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    static void assertRequestAsSent(ServeProtocol.Request r) {
        assertThat(r.refused()).isNull();
        assertThat(r.args()).containsExactlyElementsOf(ARGS);
        assertThat(r.env()).isEqualTo(Map.of("VCR_CONFIG", "/etc/vcrecovery/vcr.yaml", "VCR_STATE_DIR", "/var/lib/vcr state"));
    }

    @Test
    void anAcceptedRunStreamsStderrFramesThenDoneCarriesStdoutAndTheExitCode() throws Exception {
        var request = serve((r, out) -> {
            ServeProtocol.say(out, "accepted");
            ServeProtocol.err(out, "vcr: web: start still running after 2 s — Zürich\n");
            ServeProtocol.err(out, "no newline, then two:\n\n");
            ServeProtocol.err(out, "");
            ServeProtocol.done(out, 7, "web: no standby passed ✓\nsecond line\n");
        });

        Client c = client();

        assertRequestAsSent(request.get(20, TimeUnit.SECONDS));
        assertThat(c.exit()).isEqualTo(7);
        assertThat(c.out()).isEqualTo("web: no standby passed ✓\nsecond line\n");
        assertThat(c.err()).isEqualTo("vcr: web: start still running after 2 s — Zürich\nno newline, then two:\n\n");
    }

    @Test
    void doneWithExitZeroAndNoStdoutIsASilentSuccess() throws Exception {
        var request = serve((r, out) -> {
            ServeProtocol.say(out, "accepted");
            ServeProtocol.done(out, 0, "");
        });

        Client c = client();

        assertRequestAsSent(request.get(20, TimeUnit.SECONDS));
        assertThat(c).isEqualTo(new Client(0, "", ""));
    }

    @Test
    void deniedMakesTheClientRunVcrItselfWithTheSameArguments() throws Exception {
        var request = serve((r, out) -> ServeProtocol.say(out, "denied"));

        Client c = client();

        assertRequestAsSent(request.get(20, TimeUnit.SECONDS));
        assertThat(c.exit()).isEqualTo(42);
        assertThat(c.out()).isEqualTo("ran here: [recover] [--event-id] [12345] [--vm] [{EVENT.TAGS.vm}] [--trigger-host] [kvm 1]"
                + " [two\nlines] [Zürich — ✓] []\n");
    }

    @Test
    void fallbackWithAReasonMakesTheClientRunVcrItself() throws Exception {
        var request = serve((r, out) -> ServeProtocol.say(out, "fallback busy (8 runs in progress)"));

        Client c = client();

        assertRequestAsSent(request.get(20, TimeUnit.SECONDS));
        assertThat(c.exit()).isEqualTo(42);
        assertThat(c.out()).startsWith("ran here: [recover] ");
    }

    @Test
    void aRequestTheServerRefusesAsMalformedIsNeverAnAcceptedRun() throws Exception {
        // the server's own reading of what bash wrote decides: with the wrong token it must say denied
        Files.writeString(dir.resolve("serve"), Files.readString(dir.resolve("serve")).replace(TOKEN, "0000000000000000"));
        var request = serve((r, out) -> ServeProtocol.say(out, r.refused() == null ? "accepted" : "denied"));

        Client c = client();

        assertThat(request.get(20, TimeUnit.SECONDS).refused()).isEqualTo("denied");
        assertThat(c.exit()).isEqualTo(42);
    }

    @Test
    void aServerThatEndsAfterAcceptingIsExitOneAndNeverASecondRunHere() throws Exception {
        var request = serve((r, out) -> {
            ServeProtocol.say(out, "accepted");
            ServeProtocol.err(out, "vcr: web: fencing\n");
        });

        Client c = client();

        assertRequestAsSent(request.get(20, TimeUnit.SECONDS));
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.out()).isEmpty();
        assertThat(c.err()).startsWith("vcr: web: fencing\nvcr: vcr serve (127.0.0.1:" + server.getLocalPort() + ") ended during the run")
                .doesNotContain("ran here");
    }
}
