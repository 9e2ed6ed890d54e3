package org.vcrecovery.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The guests of the host-down scene's suspended standby VMs ({@code hd-bNN}, test-driver domains
 * that run nothing): their service containers {@code hd-sNN} are thawed when libvirt reports the
 * domain resumed or started and frozen when it is suspended, by one {@code virsh event --loop}
 * for every domain ({@link VmShim} does the same for the failover drill's one backup VM).
 */
final class HostDownShim implements AutoCloseable {
    private final Process virsh;

    HostDownShim(String uri, String lxcPath) throws IOException {
        virsh = new ProcessBuilder("virsh", "-c", uri, "event", "--event", "lifecycle", "--loop").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(virsh.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int at = line.indexOf("hd-b");
                    if (at < 0 || line.length() < at + 6) continue;
                    String ct = "hd-s" + line.substring(at + 4, at + 6);
                    // Each guest wakes on its own: one thread per event, not one after the other
                    // (17 resumes at once queued ~40 ms of lxc-unfreeze each behind the others).
                    String op = line.contains("Resumed") || line.contains("Started") ? "lxc-unfreeze"
                            : line.contains("Suspended") ? "lxc-freeze" : null;
                    if (op == null) continue;
                    Thread t = new Thread(() -> Sh.run(10, op, "-P", lxcPath, "-n", ct), "hd-shim-" + ct);
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException e) {
                // virsh went away: no more thawing
            }
        }, "hd-shim");
        reader.setDaemon(true);
        reader.start();
    }

    boolean alive() {
        return virsh.isAlive();
    }

    @Override
    public void close() {
        virsh.destroy();
    }
}
