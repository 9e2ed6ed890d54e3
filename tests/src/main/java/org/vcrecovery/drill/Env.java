package org.vcrecovery.drill;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sandbox's endpoints as {@code tests/env/up} wrote them ({@code $VCR_SANDBOX_DIR/sandbox.env},
 * default {@code /var/tmp/vcr-sandbox}). A missing file or key is a {@link DrillException} that
 * says to run {@code tests/env/up}.
 */
final class Env {
    private final Path file;
    private final Map<String, String> values;

    private Env(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    static Env load() {
        Path f = Path.of(System.getenv().getOrDefault("VCR_SANDBOX_DIR", "/var/tmp/vcr-sandbox"), "sandbox.env");
        if (!Files.isReadable(f)) throw new DrillException(3, "no sandbox: " + f + " is missing; run tests/env/up");
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(f)) {
                int eq = line.indexOf('=');
                if (line.startsWith("#") || eq < 1) continue;
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        } catch (IOException e) {
            throw new DrillException(3, "cannot read " + f + ": " + e.getMessage());
        }
        return new Env(f, m);
    }

    String get(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) throw new DrillException(3, file + " has no " + key + "; run tests/env/up");
        return v;
    }

    Path path(String key) {
        return Path.of(get(key));
    }

    InetSocketAddress address(String key) {
        String v = get(key);
        int c = v.lastIndexOf(':');
        return new InetSocketAddress(v.substring(0, c), Integer.parseInt(v.substring(c + 1)));
    }
}
