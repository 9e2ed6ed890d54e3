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
                    if (line.contains("Resumed") || line.contains("Started")) Sh.run(10, "lxc-unfreeze", "-P", lxcPath, "-n", ct);
                    else if (line.contains("Suspended")) Sh.run(10, "lxc-freeze", "-P", lxcPath, "-n", ct);
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
