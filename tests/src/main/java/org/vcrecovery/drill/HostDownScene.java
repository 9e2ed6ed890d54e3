package org.vcrecovery.drill;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;

/**
 * The host-down drill's stage: the KVM host {@value #KVM_HOST} carrying N "VMs" (libvirt
 * test-driver domains {@code hd-vNN}), each VM's service a busybox httpd LXC container
 * {@code hd-pNN} on 127.0.41.NN, reached as {@code hd-NN} in the sandbox's zone; and a standby per
 * VM on 127.0.42.NN, by NN mod 3: a warm container {@code hd-wNN} (running), a cold container
 * {@code hd-cNN} (stopped), or a suspended VM {@code hd-bNN} (paused domain) whose service
 * {@code hd-sNN} is frozen while it is paused and thawed when libvirt resumes it (one
 * {@code virsh event --loop} for all of them, as {@link VmShim} does for one). Containers are
 * created once and reused by later drills (lxc-service keeps them). A new one is a copy of the
 * base container {@value #BASE} ({@code lxc-copy}, ~0.1 s, against ~3.4 s for lxc-service's
 * busybox template) then pointed at its address by lxc-service; creating and starting them runs
 * {@value #PARALLEL} at a time.
 *
 * <p>(Over 300 lines on purpose: building, checking and tearing down the scene's three kinds of
 * standby belong together, and each part alone would pass the scene's state around.)
 */
final class HostDownScene implements AutoCloseable {
    static final String KVM_HOST = "hd-kvm";
    static final int PORT = 8080;
    static final int PARALLEL = 8;
    static final String BASE = "hd-base";

    enum Kind { WARM, COLD, SUSPENDED }

    private final int vms;
    private final Env env;
    private final Path repo;
    private final String uri;
    private final String lxcPath;
    private final String zone;
    private final DnsUpdater dns;
    private HostDownShim shim;

    HostDownScene(int vms, Env env, Path repo) throws IOException {
        this.vms = vms;
        this.env = env;
        this.repo = repo;
        this.uri = env.get("LIBVIRT_URI");
        this.lxcPath = env.get("LXC_PATH");
        this.zone = env.get("DNS_ZONE");
        this.dns = DnsUpdater.builder().server(env.address("DNS_SERVER"))
                .tsigKey(TsigKey.fromFile(env.path("DNS_TSIG_FILE"))).timeout(Duration.ofSeconds(3)).build();
    }

    int vms() {
        return vms;
    }

    static String nn(int i) {
        return String.format("%02d", i);
    }

    static Kind kind(int i) {
        return Kind.values()[i % 3];
    }

    String primaryAddress(int i) {
        return "127.0.41." + i;
    }

    String standbyAddress(int i) {
        return "127.0.42." + i;
    }

    String name(int i) {
        return "hd-" + nn(i);
    }

    String fqdn(int i) {
        return name(i) + "." + zone + ".";
    }

    private String standbyContainer(int i) {
        return switch (kind(i)) {
            case WARM -> "hd-w" + nn(i);
            case COLD -> "hd-c" + nn(i);
            case SUSPENDED -> "hd-s" + nn(i);
        };
    }

    /** Creates the domains and containers (idempotent); returns the milliseconds it took. */
    long build() throws Exception {
        long t0 = System.nanoTime();
        try (Lv lv = new Lv(uri)) {
            for (int i = 1; i <= vms; i++) {
                define(lv.c, "hd-v" + nn(i));
                if (kind(i) == Kind.SUSPENDED) define(lv.c, "hd-b" + nn(i));
            }
        }
        lxcService(BASE, "127.0.43.254", false); // never started: the rootfs every other container copies
        List<Runnable> jobs = new ArrayList<>();
        for (int i = 1; i <= vms; i++) {
            int k = i;
            jobs.add(() -> copied("hd-p" + nn(k), primaryAddress(k)));
            jobs.add(() -> copied(standbyContainer(k), standbyAddress(k)));
        }
        Sh.parallel(jobs, PARALLEL);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Container {@code name} serving on {@code addr}: copied from {@link #BASE} when it does not exist yet. */
    private void copied(String name, String addr) {
        Path service = Path.of(lxcPath, name, "rootfs/sbin/vcr-service");
        try {
            if (java.nio.file.Files.readString(service).contains(" -p " + addr + ":" + PORT + " ")) return; // kept from an earlier drill
        } catch (IOException e) {
            // not there yet: made below
        }
        if (!java.nio.file.Files.isExecutable(Path.of(lxcPath, name, "rootfs/bin/busybox"))) {
            Sh.run(30, "lxc-destroy", "-P", lxcPath, "-n", name);
            Sh.must(60, "lxc-copy", "-P", lxcPath, "-n", BASE, "-N", name);
        }
        lxcService(name, addr, false);
    }

    /** The runbook of VM {@code i} ({@link HostDownRunbook}). */
    String runbook(int i) {
        return HostDownRunbook.of(this, i);
    }

    String uri() {
        return uri;
    }

    String lxcPath() {
        return lxcPath;
    }

    Env env() {
        return env;
    }

    String zone() {
        return zone;
    }

    String standbyName(int i) {
        return standbyContainer(i);
    }

    /** Puts every VM back: DNS on its primary, domain running, service up; standbys as their kind wants. */
    void reset() throws Exception {
        if (shim == null || !shim.alive()) shim = new HostDownShim(uri, lxcPath);
        List<Runnable> jobs = new ArrayList<>();
        for (int i = 1; i <= vms; i++) {
            int k = i;
            jobs.add(() -> {
                var r = dns.update(DnsChange.of(zone, name(k), RecordType.A, 30, primaryAddress(k)));
                if (r.outcome() != Outcome.APPLIED) throw new DrillException(1, "DNS reset of " + fqdn(k) + " failed: " + r.message());
                lxcService("hd-p" + nn(k), primaryAddress(k), true);
                switch (kind(k)) {
                    case WARM -> lxcService(standbyContainer(k), standbyAddress(k), true);
                    case COLD -> lxcStop(standbyContainer(k));
                    case SUSPENDED -> {
                        lxcService(standbyContainer(k), standbyAddress(k), true);
                        Sh.must(10, "lxc-freeze", "-P", lxcPath, "-n", standbyContainer(k));
                    }
                }
            });
        }
        Sh.parallel(jobs, PARALLEL);
        try (Lv lv = new Lv(uri)) {
            for (int i = 1; i <= vms; i++) {
                Domain d = lv.c.domainLookupByName("hd-v" + nn(i));
                if (d.isActive() == 0) d.create();
                d.free();
                if (kind(i) != Kind.SUSPENDED) continue;
                Domain b = lv.c.domainLookupByName("hd-b" + nn(i));
                if (b.isActive() == 0) b.create();
                if (b.getInfo().state != DomainState.VIR_DOMAIN_PAUSED) b.suspend();
                b.free();
            }
        }
        ListenerProcess.sleep(300); // the shim's freeze for the suspends above
        for (int i = 1; i <= vms; i++) {
            if (kind(i) == Kind.SUSPENDED) Sh.run(10, "lxc-freeze", "-P", lxcPath, "-n", standbyContainer(i));
        }
    }

    /** Every domain of the host destroyed, then every service stopped (in parallel). */
    void killVms() throws Exception {
        try (Lv lv = new Lv(uri)) {
            for (int i = 1; i <= vms; i++) {
                Domain d = lv.c.domainLookupByName("hd-v" + nn(i));
                if (d.isActive() != 0) d.destroy();
                d.free();
            }
        }
        List<Runnable> jobs = new ArrayList<>();
        for (int i = 1; i <= vms; i++) {
            String ct = "hd-p" + nn(i);
            jobs.add(() -> Sh.run(20, "lxc-stop", "-P", lxcPath, "-n", ct, "-k"));
        }
        Sh.parallel(jobs, PARALLEL);
    }

    /** Every container of the scene stopped (thawed first when frozen). */
    void stopAll() throws Exception {
        List<Runnable> jobs = new ArrayList<>();
        for (int i = 1; i <= vms; i++) {
            String p = "hd-p" + nn(i), s = standbyContainer(i);
            jobs.add(() -> {
                lxcStop(p);
                lxcStop(s);
            });
        }
        Sh.parallel(jobs, PARALLEL);
    }

    /**
     * Every domain of the scene destroyed and undefined: the sandbox's libvirt is shared, and a
     * listener test that sees 70 leftover domains spends its time on their discovery.
     */
    void undefineAll() throws LibvirtException {
        try (Lv lv = new Lv(uri)) {
            for (int i = 1; i <= vms; i++) {
                for (String name : List.of("hd-v" + nn(i), "hd-b" + nn(i))) {
                    try {
                        Domain d = lv.c.domainLookupByName(name);
                        if (d.isActive() == 1) d.destroy();
                        d.undefine();
                        d.free();
                    } catch (LibvirtException e) {
                        // not defined in this scene
                    }
                }
            }
        }
    }

    /** What the sandbox's BIND answers for VM {@code i}'s name. */
    List<String> resolve(int i) {
        try {
            return dns.query(zone, name(i), RecordType.A);
        } catch (Exception e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        if (shim != null) shim.close();
    }

    // ---------------------------------------------------------------- helpers

    private void lxcService(String name, String addr, boolean start) {
        if (start) {
            String st = Sh.run(10, "lxc-info", "-P", lxcPath, "-n", name, "-sH").out();
            if (st.equals("FROZEN")) Sh.must(10, "lxc-unfreeze", "-P", lxcPath, "-n", name);
            if (st.equals("RUNNING")) return;
        }
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("tests/env/lxc-service").toString()));
        if (start) cmd.add("--start");
        cmd.addAll(List.of(name, addr, Integer.toString(PORT), "http"));
        Sh.must(120, cmd.toArray(String[]::new));
    }

    private void lxcStop(String name) {
        String st = Sh.run(10, "lxc-info", "-P", lxcPath, "-n", name, "-sH").out();
        if (st.equals("FROZEN")) Sh.run(10, "lxc-unfreeze", "-P", lxcPath, "-n", name);
        if (!st.equals("STOPPED")) Sh.must(30, "lxc-stop", "-P", lxcPath, "-n", name, "-k");
    }

    private static void define(Connect c, String name) throws LibvirtException {
        try {
            c.domainLookupByName(name).free();
        } catch (LibvirtException e) {
            c.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                    + "<vcpu>1</vcpu><os><type>hvm</type></os></domain>").free();
        }
    }

    /** A short-lived libvirt connection (the test driver's state lives in the sandbox's libvirtd). */
    private static final class Lv implements AutoCloseable {
        final Connect c;

        Lv(String uri) throws LibvirtException {
            c = new Connect(uri);
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (LibvirtException e) {
                // closing a connection that failed: nothing to do
            }
        }
    }
}
