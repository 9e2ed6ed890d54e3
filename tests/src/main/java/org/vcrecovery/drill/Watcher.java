package org.vcrecovery.drill;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The drill's client: asks the DNS server for the service's name and, once it names the standby,
 * requests {@code GET /} from that address's port, every 20 ms, until both succeed or the deadline
 * passes. Prints a progress line every 5 s while it waits.
 */
final class Watcher {
    private final Supplier<List<String>> resolve;
    private final int port;

    Watcher(Supplier<List<String>> resolve, int port) {
        this.resolve = resolve;
        this.port = port;
    }

    /** When the name resolved to {@code standby} and its port answered HTTP 200, or null at the deadline. */
    Instant await(String standby, Instant deadline, Progress progress, Instant t0) {
        Instant nextNote = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            List<String> a = resolve.get();
            if (a.equals(List.of(standby)) && answers(standby)) return Instant.now();
            if (Instant.now().isAfter(nextNote)) {
                progress.say("waiting for " + standby + " (" + Duration.between(t0, Instant.now()).toSeconds()
                        + " s since the failure; DNS says " + a + ")");
                nextNote = nextNote.plusSeconds(5);
            }
            ListenerProcess.sleep(20);
        }
        return null;
    }

    /** True when {@code address}:port answers {@code GET /} with HTTP 200 within 500 ms. */
    boolean answers(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 300);
            s.setSoTimeout(500);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + address + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.readNBytes(buf, 0, 12);
            String status = new String(buf, 0, n, StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.") && status.endsWith("200");
        } catch (IOException e) {
            return false;
        }
    }
}
