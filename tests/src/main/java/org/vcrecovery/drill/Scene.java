package org.vcrecovery.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * The stage of the drill in the sandbox: the primary "VM" {@value #PRIMARY_VM} (a libvirt
 * test-driver domain) whose service is a busybox httpd in the LXC container
 * {@value #PRIMARY_CT} on {@value #PRIMARY_ADDR}, reached by clients as www in the sandbox's
 * zone; and the standby of the mode. {@link #reset} puts everything back before each run;
 * {@link #inject} crashes the primary. Test-driver domains run nothing, so the containers stand
 * for the VMs' services: the primary's is stopped when its domain is destroyed, and the resume
 * mode's backup service is frozen (cgroup freezer) while its domain is paused and thawed by
 * {@link VmShim} when libvirt reports the domain resumed.
 */
final class Scene {
    static final String PRIMARY_VM = "drill-web";
    static final String BACKUP_VM = "drill-backup";
    static final String PRIMARY_CT = "drill-primary";
    static final String PRIMARY_ADDR = "127.0.20.1";
    static final int PORT = 8080;
    static final String RECORD = "www";

    final Mode mode;
    private final Env env;
    private final Path repo;
    private final String uri;
    private final String lxcPath;
    private final DnsUpdater dns;
    private final String zone;

    Scene(Mode mode, Env env, Path repo) throws IOException {
        this.mode = mode;
        this.env = env;
        this.repo = repo;
        this.uri = env.get("LIBVIRT_URI");
        this.lxcPath = env.get("LXC_PATH");
        this.zone = env.get("DNS_ZONE");
        this.dns = DnsUpdater.builder().server(env.address("DNS_SERVER"))
                .tsigKey(TsigKey.fromFile(env.path("DNS_TSIG_FILE"))).timeout(Duration.ofSeconds(3)).build();
    }

    /** The standby's container name (its service in resume mode). */
    String standbyContainer() {
        return switch (mode) {
            case WARM -> "drill-warm";
            case COLD -> "drill-cold";
            case RESUME -> "drill-backup-svc";
        };
    }

    String standbyAddress() {
        return switch (mode) {
            case WARM -> "127.0.20.2";
            case COLD -> "127.0.20.3";
            case RESUME -> "127.0.20.4";
        };
    }

    String fqdn() {
        return RECORD + "." + zone + ".";
    }

    /** Creates what the scene needs once: containers and domains (idempotent). */
    void build() throws IOException {
        lxcService(PRIMARY_CT, PRIMARY_ADDR);
        lxcService(standbyContainer(), standbyAddress());
        define(PRIMARY_VM);
        if (mode == Mode.RESUME) define(BACKUP_VM);
    }

    /** The runbook vcr recover follows for this scene (primary drill-web, one standby). */
    String runbook(String kvmHost) {
        String standby = switch (mode) {
            case WARM -> """
                      - name: drill-warm
                        kind: warm-container
                        backend: lxc
                        options:
                          lxcpath: %s
                        target: drill-warm
                        address: %s
                    """.formatted(lxcPath, standbyAddress());
            case COLD -> """
                      - name: drill-cold
                        kind: cold-container
                        backend: lxc
                        options:
                          lxcpath: %s
                        target: drill-cold
                        address: %s
                    """.formatted(lxcPath, standbyAddress());
            case RESUME -> """
                      - name: drill-backup
                        kind: suspended-vm
                        backend: libvirt
                        options:
                          uri: "%s"
                        target: %s
                        address: %s
                    """.formatted(uri, BACKUP_VM, standbyAddress());
        };
        return """
                # Written by tests/drill (mode %s): the drill's primary and its one standby.
                service: drill-web
                zabbix-host: %s
                primary:
                  backend: libvirt
                  uri: "%s"
                  domain: %s
                  address: %s
                standbys:
                %schecks:
                  - protocol: http
                    port: %d
                    timeout: 300ms
                dns:
                  server: %s
                  zone: %s
                  name: %s
                  type: A
                  ttl: 30
                  tsig-file: %s
                fencing:
                  mode: destroy
                limits:
                  check-timeout: 5s
                  deadline: 30s
                """.formatted(mode.key(), kvmHost, uri, PRIMARY_VM, PRIMARY_ADDR, standby, PORT,
                env.get("DNS_SERVER"), zone, RECORD, env.get("DNS_TSIG_FILE"));
    }

    /** Puts the scene back: DNS on the primary, primary running and serving, standby as the mode wants it. */
    void reset() throws IOException {
        var r = dns.update(DnsChange.of(zone, RECORD, RecordType.A, 30, PRIMARY_ADDR));
        if (r.outcome() != Outcome.APPLIED) throw new DrillException(1, "DNS reset of " + fqdn() + " failed: " + r.message());
        withDomain(PRIMARY_VM, d -> {
            if (d.isActive() == 0) d.create();
        });
        lxcStart(PRIMARY_CT, PRIMARY_ADDR);
        switch (mode) {
            case WARM -> lxcStart("drill-warm", standbyAddress());
            case COLD -> lxcStop("drill-cold");
            case RESUME -> {
                lxcStart(standbyContainer(), standbyAddress());
                Sh.must(10, "lxc-freeze", "-P", lxcPath, "-n", standbyContainer());
                withDomain(BACKUP_VM, d -> {
                    if (d.isActive() == 0) d.create();
                    if (d.getInfo().state != DomainState.VIR_DOMAIN_PAUSED) d.suspend();
                });
            }
        }
    }

    /** Destroys the primary domain (the instant returned is taken right before) and stops its service. */
    Instant inject(Runnable afterDestroy) {
        Instant[] t0 = {null};
        withDomain(PRIMARY_VM, d -> {
            t0[0] = Instant.now();
            d.destroy();
        });
        afterDestroy.run();
        Sh.run(20, "lxc-stop", "-P", lxcPath, "-n", PRIMARY_CT, "-k");
        return t0[0];
    }

    /** A resolver's view: the addresses the sandbox's BIND gives for www. */
    List<String> resolve() {
        try {
            return dns.query(zone, RECORD, RecordType.A);
        } catch (Exception e) {
            return List.of();
        }
    }

    String uri() {
        return uri;
    }

    String lxcPath() {
        return lxcPath;
    }

    // ---------------------------------------------------------------- helpers

    private void lxcService(String name, String addr) {
        Sh.must(120, repo.resolve("tests/env/lxc-service").toString(), name, addr, Integer.toString(PORT), "http");
    }

    private void lxcStart(String name, String addr) {
        String st = Sh.run(10, "lxc-info", "-P", lxcPath, "-n", name, "-sH").out();
        if (st.equals("FROZEN")) Sh.must(10, "lxc-unfreeze", "-P", lxcPath, "-n", name);
        Sh.must(60, repo.resolve("tests/env/lxc-service").toString(), "--start", name, addr, Integer.toString(PORT), "http");
    }

    private void lxcStop(String name) {
        String st = Sh.run(10, "lxc-info", "-P", lxcPath, "-n", name, "-sH").out();
        if (st.equals("FROZEN")) Sh.run(10, "lxc-unfreeze", "-P", lxcPath, "-n", name);
        if (!st.equals("STOPPED")) Sh.must(30, "lxc-stop", "-P", lxcPath, "-n", name, "-k");
    }

    private void define(String name) {
        try (Lv lv = new Lv(uri)) {
            try {
                lv.c.domainLookupByName(name).free();
            } catch (LibvirtException e) {
                lv.c.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                        + "<vcpu>1</vcpu><os><type>hvm</type></os></domain>").free();
            }
        } catch (LibvirtException e) {
            throw new DrillException(3, "libvirt " + uri + ": defining " + name + " failed: " + e.getMessage(), e);
        }
    }

    interface DomainOp {
        void apply(Domain d) throws LibvirtException;
    }

    void withDomain(String name, DomainOp op) {
        try (Lv lv = new Lv(uri)) {
            Domain d = lv.c.domainLookupByName(name);
            try {
                op.apply(d);
            } finally {
                d.free();
            }
        } catch (LibvirtException e) {
            throw new DrillException(3, "libvirt " + uri + ": " + name + ": " + e.getMessage(), e);
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
