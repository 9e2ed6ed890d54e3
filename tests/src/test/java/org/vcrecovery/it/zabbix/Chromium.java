package org.vcrecovery.it.zabbix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket the JDK speaks):
 * enough to log in, navigate, run a script in the page, move the mouse and take a screenshot.
 * One browser per instance with its own throw-away profile; {@link #close()} kills it and
 * deletes the profile. Every wait has a deadline; a browser that does not start fails the test.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static Chromium launch(int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("vcr-chromium-");
        Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String ws = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
        }
        if (ws == null) throw new IllegalStateException("chromium has no page target: " + targets);
        Chromium[] self = new Chromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String message = partial.toString();
                    partial.setLength(0);
                    self[0].dispatch(message);
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        self[0] = new Chromium(p, profile, socket);
        self[0].send("Page.enable", Map.of());
        // Headless windows lose some height to (invisible) browser chrome: pin the viewport.
        self[0].send("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        return self[0];
    }

    private void dispatch(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (!m.has("id")) return;
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f == null) return;
            if (m.has("error")) f.completeExceptionally(new IllegalStateException("CDP error: " + m.get("error")));
            else f.complete(m.path("result"));
        } catch (IOException e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
        return f.get(30, TimeUnit.SECONDS);
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
        waitUntil("document.readyState === 'complete' && location.href !== 'about:blank'", Duration.ofSeconds(20));
    }

    /** Runs {@code js} in the page (awaiting a promise) and returns its JSON value. */
    JsonNode eval(String js) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", js, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Polls {@code jsCondition} until it is true; fails with the page's URL and title at the deadline. */
    void waitUntil(String jsCondition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode v;
            try {
                v = eval("!!(" + jsCondition + ")");
            } catch (IllegalStateException e) {
                v = null; // navigation in progress: the context went away
            }
            if (v != null && v.asBoolean()) return;
            if (System.nanoTime() > deadline) {
                Path shot = Path.of("target", "screenshots", "timeout-" + System.currentTimeMillis() + ".png");
                screenshot(shot);
                throw new AssertionError("timed out waiting for " + jsCondition + " on "
                        + eval("location.href + ' | ' + document.title") + " (screenshot: " + shot + ")");
            }
            Thread.sleep(100);
        }
    }

    /** A real mouse move, then (if {@code click}) press and release, at page coordinates. */
    void mouse(double x, double y, boolean click) throws Exception {
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        if (click) {
            send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
            send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Moves to (and clicks) the centre of the first element {@code jsElement} evaluates to. */
    void pointAt(String jsElement, boolean click) throws Exception {
        JsonNode r = eval("(() => { const e = " + jsElement + "; e.scrollIntoView({block: 'center'});"
                + " const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; })()");
        mouse(r.get(0).asDouble(), r.get(1).asDouble(), click);
    }

    void screenshot(Path file) throws Exception {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    /** The text of a file under tests/ui/, to run in the page. */
    static String script(Path repo, String name) throws IOException {
        return Files.readString(repo.resolve("tests/ui").resolve(name));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> s = Files.walk(profile)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }

    static List<String> texts(JsonNode array) {
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
