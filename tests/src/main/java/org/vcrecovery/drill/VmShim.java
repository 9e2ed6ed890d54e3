package org.vcrecovery.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Stands in for the guest of the resume mode's backup VM: a test-driver domain runs nothing, so
 * its service is an LXC container that this shim keeps in step with the domain, through libvirt's
 * own lifecycle events ({@code virsh event --loop}): thawed when the domain is resumed or started,
 * frozen when it is suspended. Thawing takes a few milliseconds, less than a real guest needs to
 * answer again after a resume, so the resume leg measured here is a lower bound.
 */
final class VmShim implements AutoCloseable {
    private final Process virsh;
    private final Thread reader;
    private volatile Instant lastThaw;

    VmShim(String uri, String domain, String lxcPath, String container, Progress progress) throws IOException {
        virsh = new ProcessBuilder("virsh", "-c", uri, "event", "--domain", domain, "--event", "lifecycle", "--loop")
                .redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(virsh.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Resumed") || line.contains("Started")) {
                        Sh.run(10, "lxc-unfreeze", "-P", lxcPath, "-n", container);
                        lastThaw = Instant.now();
                    } else if (line.contains("Suspended")) {
                        Sh.run(10, "lxc-freeze", "-P", lxcPath, "-n", container);
                    }
                }
            } catch (IOException e) {
                // virsh went away: the shim stops following the domain
            }
        }, "vm-shim-" + domain);
        reader.setDaemon(true);
        reader.start();
        progress.say("VM shim: " + container + " follows domain " + domain + " (frozen while paused)");
    }

    Instant lastThaw() {
        return lastThaw;
    }

    @Override
    public void close() {
        virsh.destroy();
    }
}
