package org.vcrecovery.it.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.libvirt.event.StoppedDetail;
import org.vcrecovery.it.Sandbox;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Proves each sandbox component {@code tests/env/up} started is the real thing: Zabbix's API,
 * its trapper storing a value, BIND with TSIG-signed updates, libvirtd's test driver with
 * lifecycle events, and an LXC container serving on its own loopback address.
 */
class EnvironmentIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Sandbox sandbox = Sandbox.get();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void zabbixApiAnswersTheVersionTheSandboxWasBroughtUpWith() throws Exception {
        JsonNode version = api("apiinfo.version", JSON.createArrayNode(), null);

        assertThat(version.asText()).startsWith(sandbox.value(Sandbox.ZABBIX_VERSION) + ".");
    }

    @Test
    void aValueSentToTheTrapperIsStoredInHistory() throws Exception {
        String token = Files.readString(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).trim();
        String group = api("hostgroup.get", JSON.valueToTree(Map.of("filter", Map.of("name", List.of(
                sandbox.value(Sandbox.ZABBIX_HOSTGROUP))))), token).path(0).path("groupid").asText();
        String host = "envit-trapper-" + suffix;
        String hostId = api("host.create", JSON.valueToTree(Map.of("host", host,
                "groups", List.of(Map.of("groupid", group)))), token).path("hostids").path(0).asText();
        try {
            String itemId = api("item.create", JSON.valueToTree(Map.of("hostid", hostId, "name", "envit trap",
                    "key_", "envit.trap", "type", 2, "value_type", 4)), token).path("itemids").path(0).asText();
            String value = "stored-" + suffix;

            // The server accepts the value once its configuration cache has the new item.
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300))
                    .until(() -> send(host, "envit.trap", value), info -> info.contains("processed: 1"));

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> api("history.get",
                    JSON.valueToTree(Map.of("itemids", List.of(itemId), "history", 4, "output", "extend")), token)
                    .findValuesAsText("value"), values -> values.contains(value));
        } finally {
            api("host.delete", JSON.valueToTree(List.of(hostId)), token);
        }
    }

    @Test
    void aGlobalScriptRunsOnTheSandboxAgentThroughTheServer() throws Exception {
        // Zabbix 6.0.14's script.execute fails with an API token (the session id is null): log in.
        String session = api("user.login", JSON.valueToTree(Map.of("username", sandbox.value(Sandbox.ZABBIX_USER),
                "password", Files.readString(sandbox.path(Sandbox.ZABBIX_PASSWORD_FILE)).trim())), null).asText();
        String hostId = api("host.get", JSON.valueToTree(Map.of("filter", Map.of("host", List.of(
                sandbox.value(Sandbox.ZABBIX_AGENT_HOST))))), session).path(0).path("hostid").asText();
        String scriptId = api("script.create", JSON.valueToTree(Map.of("name", "envit-" + suffix,
                "command", "echo envit-" + suffix, "type", 0, "execute_on", 0, "scope", 2)), session)
                .path("scriptids").path(0).asText();
        try {
            JsonNode result = api("script.execute", JSON.valueToTree(Map.of("scriptid", scriptId, "hostid", hostId)), session);

            assertThat(result.path("response").asText()).isEqualTo("success");
            assertThat(result.path("value").asText()).isEqualTo("envit-" + suffix);
        } finally {
            api("script.delete", JSON.valueToTree(List.of(scriptId)), session);
            api("user.logout", JSON.createArrayNode(), session);
        }
    }

    @Test
    void bindServesTheZoneAndAppliesOnlyUpdatesSignedWithItsKey() throws Exception {
        Name zone = Name.fromString(sandbox.value(Sandbox.DNS_ZONE) + ".");
        Name host = Name.fromString("envit-" + suffix, zone);
        SimpleResolver dns = resolver(null);

        Message soa = dns.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
        assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(soa.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.SOA);

        Update wrong = new Update(zone);
        wrong.add(host, Type.A, 30, "127.0.30.9");
        assertThat(resolver(tsig(Sandbox.DNS_TSIG_WRONG_FILE)).send(wrong).getRcode()).isEqualTo(Rcode.NOTAUTH);

        SimpleResolver signed = resolver(tsig(Sandbox.DNS_TSIG_FILE));
        Update add = new Update(zone);
        add.replace(host, Type.A, 30, "127.0.30.1");
        try {
            assertThat(signed.send(add).getRcode()).isEqualTo(Rcode.NOERROR);

            Message answer = dns.send(Message.newQuery(Record.newRecord(host, Type.A, DClass.IN)));
            assertThat(answer.getSection(Section.ANSWER)).extracting(r -> ((ARecord) r).getAddress().getHostAddress())
                    .containsExactly("127.0.30.1");
        } finally {
            Update delete = new Update(zone);
            delete.delete(host);
            signed.send(delete);
        }
    }

    @Test
    void aLibvirtTestDomainCanBeDestroyedAndItsStopEventIsSeen() throws Exception {
        LibvirtLoop.ensureRunning();
        String name = "envit-" + suffix;
        BlockingQueue<DomainEvent> events = new LinkedBlockingQueue<>();
        LifecycleListener listener = (domain, event) -> {
            try {
                if (name.equals(domain.getName())) events.add(event);
            } catch (LibvirtException e) {
                // a domain that vanished meanwhile is not ours to report
            }
            return 0;
        };
        Connect conn = new Connect(sandbox.value(Sandbox.LIBVIRT_URI), false);
        try {
            conn.addLifecycleListener(listener);
            Domain domain = conn.domainDefineXML("<domain type='test'><name>" + name + "</name>"
                    + "<memory unit='MiB'>8</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>");
            try {
                domain.create();
                domain.destroy();

                DomainEvent stopped = null;
                long end = System.nanoTime() + DEADLINE.toNanos();
                while (stopped == null && System.nanoTime() < end) {
                    DomainEvent e = events.poll(200, TimeUnit.MILLISECONDS);
                    if (e != null && e.getType() == DomainEventType.STOPPED) stopped = e;
                }
                assertThat(stopped).as("STOPPED event for " + name).isNotNull();
                assertThat((Object) stopped.getDetail()).isEqualTo(StoppedDetail.DESTROYED);
                assertThat(domain.isActive()).isZero();
            } finally {
                domain.undefine();
            }
        } finally {
            conn.removeLifecycleListener(listener);
            conn.close();
        }
    }

    @Test
    void anLxcContainerServesHttpOnItsOwnLoopbackAddressUntilStopped() throws Exception {
        String name = "envit-" + suffix;
        String address = "127.77." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255);
        String lxcPath = sandbox.value(Sandbox.LXC_PATH);
        run(sandbox.value(Sandbox.LXC_SERVICE), name, address, "8080", "http");
        try {
            long start = System.nanoTime();
            run("lxc-start", "-P", lxcPath, "-n", name);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> portOpen(address, 8080));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("lxc-start %s -> %s:8080 answers in %d ms%n", name, address, millis);

            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + ":8080/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains(name);

            run("lxc-stop", "-P", lxcPath, "-n", name, "-k");
            assertThat(portOpen(address, 8080)).as("port after lxc-stop").isFalse();
        } finally {
            new ProcessBuilder("lxc-stop", "-P", lxcPath, "-n", name, "-k").start().waitFor(30, TimeUnit.SECONDS);
            run("lxc-destroy", "-P", lxcPath, "-n", name);
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private JsonNode api(String method, JsonNode params, String auth) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method).put("id", 1);
        body.set("params", params);
        if (auth != null) body.put("auth", auth);
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .header("Content-Type", "application/json-rpc").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(reply.body());
        if (!json.has("result")) throw new AssertionError("Zabbix API " + method + ": " + json.path("error"));
        return json.get("result");
    }

    /** Sends one value with the Zabbix sender protocol and returns the server's "info" line. */
    private String send(String host, String key, String value) throws IOException {
        byte[] data = JSON.writeValueAsBytes(Map.of("request", "sender data",
                "data", List.of(Map.of("host", host, "key", key, "value", value))));
        ByteBuffer header = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
        header.put("ZBXD".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).putLong(data.length);
        try (Socket socket = new Socket()) {
            socket.connect(sandbox.address(Sandbox.ZABBIX_TRAPPER), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(header.array());
            out.write(data);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(13);
            assertThat(new String(head, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("ZBXD");
            int length = (int) ByteBuffer.wrap(head, 5, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode reply = JSON.readTree(in.readNBytes(length));
            assertThat(reply.path("response").asText()).isEqualTo("success");
            return reply.path("info").asText();
        }
    }

    private SimpleResolver resolver(TSIG key) throws IOException {
        InetSocketAddress server = sandbox.address(Sandbox.DNS_SERVER);
        SimpleResolver r = new SimpleResolver(server.getHostString());
        r.setPort(server.getPort());
        r.setTimeout(Duration.ofSeconds(5));
        if (key != null) r.setTSIGKey(key);
        return r;
    }

    private static final Pattern SECRET = Pattern.compile("secret\\s+\"([^\"]+)\"");

    private TSIG tsig(String fileKey) throws IOException {
        Matcher m = SECRET.matcher(Files.readString(sandbox.path(fileKey)));
        assertThat(m.find()).as("secret in " + sandbox.path(fileKey)).isTrue();
        return new TSIG(TSIG.HMAC_SHA256, Name.fromString(sandbox.value(Sandbox.DNS_TSIG_NAME) + "."), m.group(1));
    }

    private static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("envit", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** libvirt's event loop, registered once per JVM before any connection and run on a daemon thread. */
    private static final class LibvirtLoop {
        private static boolean running;

        static synchronized void ensureRunning() throws LibvirtException {
            if (running) return;
            Library.initEventLoop();
            Thread t = new Thread(() -> {
                try {
                    Library.runEventLoop();
                } catch (LibvirtException | InterruptedException e) {
                    // the JVM is ending
                }
            }, "envit-libvirt-events");
            t.setDaemon(true);
            t.start();
            running = true;
        }
    }
}
