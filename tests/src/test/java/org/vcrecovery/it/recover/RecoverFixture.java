package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.DnsUpdater;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.TsigKey;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.Problem;
import org.vcrecovery.zabbix.api.ValueType;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * What the {@code vcr recover} end-to-end tests share: unique names and 127.x addresses, a DNS
 * record in the sandbox's BIND, a Zabbix host with a trapper item and a trigger whose problems
 * give real event ids, runbooks and a config in a temp directory, tiny HTTP services, LXC
 * standby containers, and {@code vcr} run in-process with captured output. {@link #close()}
 * deletes what it created.
 */
final class RecoverFixture implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    final Sandbox sandbox = Sandbox.get();
    final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    final String net = "127." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    final int port = ThreadLocalRandom.current().nextInt(20000, 60000);
    final String zone;
    final String record;
    /** A service name unique to this fixture: {@code feature-suffix}. */
    final String service;
    final Path dir;
    final Path runbooks;
    final Path state;
    final DnsUpdater dns;
    private final List<AutoCloseable> cleanups = new ArrayList<>();
    private ZabbixApi zabbix;
    private ZabbixSender sender;
    String host;
    private String hostId;
    private String triggerId;
    private final String key = "recover.it";

    RecoverFixture(String feature) throws IOException {
        zone = sandbox.value(Sandbox.DNS_ZONE);
        service = feature + "-" + suffix;
        record = service + "." + zone + ".";
        dir = Files.createTempDirectory("vcr-" + feature + "-");
        runbooks = Files.createDirectories(dir.resolve("runbooks"));
        state = dir.resolve("state");
        dns = DnsUpdater.builder().server(sandbox.address(Sandbox.DNS_SERVER))
                .tsigKey(TsigKey.fromFile(sandbox.path(Sandbox.DNS_TSIG_FILE))).timeout(Duration.ofSeconds(2)).build();
    }

    /** A fixture whose DNS record already points at the primary, {@code address(1)}: where most scenarios start. */
    static RecoverFixture recordOnPrimary(String feature) throws IOException {
        RecoverFixture f = new RecoverFixture(feature);
        f.dnsSet(f.address(1));
        return f;
    }

    String address(int i) {
        return net + i;
    }

    // ---- DNS ------------------------------------------------------------------------------------

    void dnsSet(String value) {
        var r = dns.update(DnsChange.of(zone, record, RecordType.A, 30, value));
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
        if (!recordCreated) {
            recordCreated = true;
            cleanups.add(this::deleteRecord);
        }
    }

    private boolean recordCreated;

    /** Removes the test's record (dns-updater only replaces records; nsupdate deletes). */
    private void deleteRecord() throws Exception {
        InetSocketAddress s = sandbox.address(Sandbox.DNS_SERVER);
        Process p = new ProcessBuilder("nsupdate", "-k", sandbox.value(Sandbox.DNS_TSIG_FILE)).redirectErrorStream(true).start();
        p.getOutputStream().write(("server " + s.getHostString() + " " + s.getPort() + "\nzone " + zone + "\nupdate delete "
                + record + "\nsend\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    /** The record as BIND answers it, asked with dig (an independent resolver). */
    List<String> dig() throws Exception {
        InetSocketAddress s = sandbox.address(Sandbox.DNS_SERVER);
        Process p = new ProcessBuilder("dig", "+short", "+norecurse", "+time=2", "+tries=1", "@" + s.getHostString(),
                "-p", Integer.toString(s.getPort()), record, "A").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\s+"));
    }

    // ---- Zabbix ---------------------------------------------------------------------------------

    ZabbixApi zabbix() throws IOException {
        if (zabbix == null) {
            zabbix = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                    .tokenFile(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
        }
        return zabbix;
    }

    /** A Zabbix host with a trapper item and a trigger "value > 100" (manual close allowed). */
    String createZabbixHost() throws Exception {
        host = "recover-it-" + suffix;
        String group = zabbix().hostGroupByName(sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        hostId = zabbix().createHost(host, List.of(group), List.of(HostInterface.agent(address(1), 10050)), List.of());
        zabbix().createTrapperItem(hostId, "recover probe", key, ValueType.UNSIGNED);
        triggerId = zabbix().createTrigger("recover " + suffix + " primary down", "last(/" + host + "/" + key + ")>100", 4, true);
        sender = ZabbixSender.builder().server(sandbox.address(Sandbox.ZABBIX_TRAPPER)).readTimeout(Duration.ofSeconds(10)).build();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() ->
                sender.send(List.of(new SenderValue(host, key, "0"))).processed() == 1);
        return host;
    }

    /** Puts the fixture's host in a one-time maintenance starting a minute ago (removed by close). */
    void startMaintenance() throws Exception {
        String id = zabbix().createMaintenance("recover-it-" + suffix, List.of(hostId), Instant.now().minusSeconds(60),
                Duration.ofHours(1));
        cleanups.add(() -> zabbix().deleteMaintenances(List.of(id)));
    }

    /** Sends the value that ends every problem of the trigger ("value > 100" is false again). */
    void resolveProblems() throws Exception {
        sender.send(List.of(new SenderValue(host, key, "0")));
    }

    /** Raises a new problem on the trigger and returns its event id: open when this returns. */
    String raiseProblem() throws Exception {
        // OK first (a problem left open by an earlier call resolves), then only problem values until
        // Zabbix lists a new open problem: an OK value sent after the first problem value would
        // resolve the very event returned, and vcr would rightly leave a resolved event alone (exit
        // 13). problem.get here also lists recently resolved problems: those are told apart.
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            sender.send(List.of(new SenderValue(host, key, "0")));
            return zabbix().problemsOfTrigger(triggerId).stream().allMatch(Problem::resolved);
        });
        List<String> before = zabbix().problemsOfTrigger(triggerId).stream().map(Problem::eventId).toList();
        long[] v = {1000};
        Problem p = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            sender.send(List.of(new SenderValue(host, key, Long.toString(v[0]++))));
            return zabbix().problemsOfTrigger(triggerId).stream().filter(x -> !x.resolved() && !before.contains(x.eventId())).toList();
        }, l -> !l.isEmpty()).get(0);
        return p.eventId();
    }

    // ---- files ------------------------------------------------------------------------------------

    Path runbook(String name, String yaml) throws IOException {
        return Files.writeString(runbooks.resolve(name + ".yaml"), yaml);
    }

    /**
     * One standby of a runbook: {@code backend} with its {@code options} (written quoted, in order),
     * an optional {@code target} and {@code zabbixHost} (left out of the YAML when null).
     */
    record Standby(String name, String kind, String backend, Map<String, String> options, String target, String address,
            String zabbixHost) {
        /** An LXC container of the sandbox's default lxcpath. */
        Standby(String name, String kind, String address) {
            this(name, kind, "lxc", Map.of(), null, address, null);
        }

        /** The same standby in the LXC path {@code lxcpath}. */
        Standby lxcpath(String lxcpath) {
            return new Standby(name, kind, backend, Map.of("lxcpath", lxcpath), target, address, zabbixHost);
        }

        /** The same standby known to Zabbix as {@code host}. */
        Standby zabbixHost(String host) {
            return new Standby(name, kind, backend, options, target, address, host);
        }

        /** A libvirt domain {@code target} at {@code uri}. */
        static Standby libvirt(String name, String kind, String uri, String target, String address) {
            return new Standby(name, kind, "libvirt", Map.of("uri", uri), target, address, null);
        }

        /** An LXD instance {@code name} served at {@code url}. */
        static Standby lxd(String name, String kind, String url, String address) {
            return new Standby(name, kind, "lxd", Map.of("url", url), null, address, null);
        }

        String yaml() {
            StringBuilder y = new StringBuilder("  - name: " + name + "\n    kind: " + kind + "\n    backend: " + backend + "\n");
            if (!options.isEmpty()) y.append("    options:\n");
            options.forEach((k, v) -> y.append("      ").append(k).append(": \"").append(v).append("\"\n"));
            if (target != null) y.append("    target: ").append(target).append('\n');
            y.append("    address: ").append(address).append('\n');
            if (zabbixHost != null) y.append("    zabbix-host: ").append(zabbixHost).append('\n');
            return y.toString();
        }
    }

    /** The warm standby most scenarios fail over to: "warm", an LXC warm container at {@code address(2)}. */
    Standby warm() {
        return new Standby("warm", "warm-container", address(2));
    }

    /**
     * The one way the recover ITs write a runbook. Defaults: this fixture's {@link #service}, its
     * Zabbix {@link #host} (or {@code service-host} before there is one), a primary at
     * {@code address(1)} without a VM, no standby, an HTTP check on {@link #port} with the default
     * timeout, {@link #dnsSection()}, nothing after it. With one plain primary and one standby the
     * standby's {@code kind:} is on line 7.
     */
    final class RunbookYaml {
        private String service = RecoverFixture.this.service;
        private String zabbixHost = host == null ? service + "-host" : host;
        private String primary = "  address: " + address(1) + "\n";
        private final StringBuilder standbys = new StringBuilder();
        private String checkTimeout;
        private String tail = "";

        /** Another service name (the runbook file is named after it). */
        RunbookYaml service(String name) {
            service = name;
            return this;
        }

        RunbookYaml zabbixHost(String name) {
            zabbixHost = name;
            return this;
        }

        /** A primary with no VM at {@code address}. */
        RunbookYaml primary(String address) {
            primary = "  address: " + address + "\n";
            return this;
        }

        /** A primary that is libvirt domain {@code domain} at {@code uri}, at {@code address(1)}. */
        RunbookYaml primaryVm(String uri, String domain) {
            primary = "  uri: \"" + uri + "\"\n  domain: " + domain + "\n  address: " + address(1) + "\n";
            return this;
        }

        RunbookYaml standby(Standby s) {
            standbys.append(s.yaml());
            return this;
        }

        /** The HTTP check's {@code timeout:} (300ms, 2500ms ...). */
        RunbookYaml checkTimeout(String timeout) {
            checkTimeout = timeout;
            return this;
        }

        /** Top-level YAML after the dns section (ladder:, fencing:, limits:), appended in call order. */
        RunbookYaml then(String yaml) {
            tail += yaml;
            return this;
        }

        String yaml() {
            return "service: " + service + "\nzabbix-host: " + zabbixHost + "\nprimary:\n" + primary + "standbys:\n" + standbys
                    + "checks:\n  - protocol: http\n    port: " + port + "\n"
                    + (checkTimeout == null ? "" : "    timeout: " + checkTimeout + "\n") + dnsSection() + tail;
        }

        /** Writes {@code runbooks/<service>.yaml}. */
        Path write() throws IOException {
            return runbook(service, yaml());
        }
    }

    /** A runbook of this fixture's service with the defaults of {@link RunbookYaml}. */
    RunbookYaml runbookYaml() {
        return new RunbookYaml();
    }

    /** vcr.yaml: the sandbox's Zabbix (token, the version it runs), this fixture's state directory, plus {@code extra} lines. */
    Path config(String zabbixUrl, String extra) throws IOException {
        String z = zabbixUrl == null ? "" : "zabbix:\n  url: " + zabbixUrl + "\n  token-file: "
                + sandbox.path(Sandbox.ZABBIX_TOKEN_FILE) + "\n  timeout: 5s\n  version: \"" + sandbox.value(Sandbox.ZABBIX_VERSION) + "\"\n";
        return Files.writeString(dir.resolve("vcr.yaml"), z + "state-dir: " + state + "\nrunbooks: " + runbooks + "\n" + extra);
    }

    /** vcr.yaml logging in with the sandbox's user and password file (what script.execute needs on 6.0). */
    Path configWithPassword() throws IOException {
        return Files.writeString(dir.resolve("vcr.yaml"), "zabbix:\n  url: " + sandbox.value(Sandbox.ZABBIX_API_URL)
                + "\n  user: " + sandbox.value(Sandbox.ZABBIX_USER) + "\n  password-file: "
                + sandbox.path(Sandbox.ZABBIX_PASSWORD_FILE) + "\n  version: \"" + sandbox.value(Sandbox.ZABBIX_VERSION) + "\"\nstate-dir: " + state + "\nrunbooks: " + runbooks + "\n");
    }

    Path config() throws IOException {
        return config(sandbox.value(Sandbox.ZABBIX_API_URL), "");
    }

    /** The dns: section of a runbook for this fixture's record. */
    String dnsSection() {
        return "dns:\n  server: " + sandbox.value(Sandbox.DNS_SERVER) + "\n  zone: " + zone + "\n  name: " + record
                + "\n  ttl: 30\n  tsig-file: " + sandbox.path(Sandbox.DNS_TSIG_FILE) + "\n";
    }

    // ---- vcr --------------------------------------------------------------------------------------

    VcrRun vcr(String... args) {
        return VcrRun.of(args);
    }

    /** {@code vcr recover --config <this config> ARGS}. */
    VcrRun recover(String... args) {
        List<String> all = new ArrayList<>(List.of("recover", "--config", dir.resolve("vcr.yaml").toString()));
        all.addAll(List.of(args));
        return vcr(all.toArray(String[]::new));
    }

    List<String> audit() throws IOException {
        Path a = state.resolve("audit.jsonl");
        return Files.exists(a) ? Files.readAllLines(a) : List.of();
    }

    // ---- services -----------------------------------------------------------------------------------

    /** A minimal HTTP server on {@code address}:{@link #port} answering every request with 200. */
    AutoCloseable serveHttp(String address) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout(2000);
                    InputStream in = s.getInputStream();
                    in.read(new byte[1024]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed, or a client that went away: keep serving until closed
                }
            }
        }, "http-" + address);
        t.setDaemon(true);
        t.start();
        cleanups.add(ss);
        return ss;
    }

    // ---- LXC --------------------------------------------------------------------------------------

    String lxcpath() {
        return sandbox.value(Sandbox.LXC_PATH);
    }

    /**
     * A busybox container from tests/env/lxc-service serving HTTP on {@code address}:{@link #port},
     * running if {@code start}; stopped and destroyed by close.
     */
    void lxcContainer(boolean start, String name, String address) throws Exception {
        lxcContainerIn(lxcpath(), start, name, address);
    }

    /** As {@link #lxcContainer}, in the lxcpath {@code lxcpath} (created if missing). */
    void lxcContainerIn(String lxcpath, boolean start, String name, String address) throws Exception {
        // Another lxcpath: this checkout's script (the sandbox's may be another checkout's, older than LXC_SERVICE_PATH).
        Path own = Path.of("env", "lxc-service").toAbsolutePath();
        String script = lxcpath.equals(lxcpath()) || !Files.isExecutable(own) ? sandbox.value(Sandbox.LXC_SERVICE) : own.toString();
        List<String> cmd = new ArrayList<>(List.of(script));
        if (start) cmd.add("--start");
        cmd.addAll(List.of(name, address, Integer.toString(port), "http"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LXC_SERVICE_PATH", lxcpath);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        cleanups.add(() -> {
            quietly("lxc-stop", "-P", lxcpath, "-n", name, "-k");
            quietly("lxc-destroy", "-P", lxcpath, "-n", name);
        });
    }

    private static void quietly(String... cmd) throws Exception {
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    /** The container's state as lxc-info prints it: RUNNING, STOPPED, ... */
    String lxcState(String name) throws Exception {
        return lxcStateIn(lxcpath(), name);
    }

    /** As {@link #lxcState}, in the lxcpath {@code lxcpath}. */
    String lxcStateIn(String lxcpath, String name) throws Exception {
        Process p = new ProcessBuilder("lxc-info", "-P", lxcpath, "-n", name, "-sH").redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return s;
    }

    // ---- libvirt ------------------------------------------------------------------------------------

    /** Defines a libvirt test-driver domain {@code name} (running if {@code start}); destroyed and undefined by close. */
    String testDomain(Connect libvirt, String name, boolean start) throws Exception {
        libvirt.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                + "<os><type>hvm</type></os></domain>");
        cleanups.add(() -> {
            Domain d = libvirt.domainLookupByName(name);
            if (d.isActive() == 1) d.destroy();
            d.undefine();
        });
        if (start) libvirt.domainLookupByName(name).create();
        return name;
    }

    void onClose(AutoCloseable c) {
        cleanups.add(c);
    }

    static String since(Instant t0) {
        return Duration.between(t0, Instant.now()).toMillis() + " ms";
    }

    @Override
    public void close() throws Exception {
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            try {
                cleanups.get(i).close();
            } catch (Exception e) {
                // best effort: the next one still runs
            }
        }
        if (zabbix != null) {
            if (hostId != null) zabbix.deleteHosts(List.of(hostId));
            zabbix.close();
        }
    }
}
