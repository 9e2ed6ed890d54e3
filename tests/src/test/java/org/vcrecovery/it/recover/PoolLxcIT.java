package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.ImportRules;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * A hot-standby pool against the real sandbox: three LXC members (busybox httpd, tests/env/lxc-service)
 * whose addresses make a round-robin RRset in the real BIND. Grow promotes the running standby into
 * the RRset and starts the stopped member as the next standby; shrink takes the last active out
 * (it stays up as the standby) and stops the old standby; the limits change nothing. And the
 * template "vcrecovery pool" in the real Zabbix: member loads sent as samples open the grow problem
 * through the moving average, and {@code vcr pool grow --pending} grows the pool named by it and
 * annotates the event. (In the recover package to share RecoverFixture's LXC, DNS and Zabbix helpers.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolLxcIT {
    private RecoverFixture f;
    private Path config;
    private String m1;
    private String m2;
    private String m3;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("pool");
        m1 = f.address(1);
        m2 = f.address(2);
        m3 = f.address(3);
        for (int i = 1; i <= 3; i++) f.lxcContainer(i < 3, "pool-m" + i + "-" + f.suffix, f.address(i));
        StringBuilder y = new StringBuilder("kind: pool\nservice: " + f.service + "\n" + f.dnsSection() + "checks:\n  - protocol: http\n    port: "
                + f.port + "\n    timeout: 1s\nlimits:\n  start-timeout: 15s\n  check-timeout: 10s\npool:\n  min-active: 1\n  window: 10s\n"
                + "  min-interval: 10s\nmembers:\n");
        for (int i = 1; i <= 3; i++) {
            y.append("  - name: m").append(i).append("\n    backend: lxc\n    options:\n      lxcpath: ").append(f.lxcpath())
                    .append("\n    target: pool-m").append(i).append('-').append(f.suffix).append("\n    address: ").append(f.address(i)).append('\n');
        }
        Path rb = Files.writeString(f.runbooks.resolve(f.service + ".yaml"), y.toString());
        Files.setPosixFilePermissions(rb, PosixFilePermissions.fromString("rw-------"));
        config = f.config(Sandbox.get().value(Sandbox.ZABBIX_API_URL), "");
        Files.writeString(config, Files.readString(config).replace("  timeout: 5s\n",
                "  timeout: 5s\n  trapper: " + Sandbox.get().value(Sandbox.ZABBIX_TRAPPER) + "\n"));
    }

    @AfterAll
    void tearDown() throws Exception {
        f.close();
    }

    @BeforeEach
    void oneActiveOneStandbyOneIdle() throws Exception {
        f.dnsSet(m1);
        new ProcessBuilder("lxc-stop", "-P", f.lxcpath(), "-n", "pool-m3-" + f.suffix, "-k").start().waitFor();
        assertThat(f.lxcState("pool-m2-" + f.suffix)).isEqualTo("RUNNING");
    }

    private VcrRun pool(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return VcrRun.of(all);
    }

    @Test
    void growPromotesTheStandbyIntoTheRrsetAndStartsTheIdleMemberAsTheNextStandbyThenShrinkUndoesIt() throws Exception {
        VcrRun grow = pool("pool", "grow", f.service);
        assertThat(grow.exit()).as(grow.out() + grow.err()).isZero();
        assertThat(grow.out()).startsWith("vcr pool grow " + f.service + ": promoted m2 (" + m2 + "): 2 active; m3 started as the next standby");
        assertThat(f.dig()).containsExactlyInAnyOrder(m1, m2);
        assertThat(f.lxcState("pool-m3-" + f.suffix)).isEqualTo("RUNNING");

        VcrRun status = pool("pool", "status", f.service);
        assertThat(status.out()).containsPattern("m1 +" + m1.replace(".", "\\.") + " +active")
                .containsPattern("m2 +" + m2.replace(".", "\\.") + " +active").containsPattern("m3 +" + m3.replace(".", "\\.") + " +standby");

        VcrRun shrink = pool("pool", "shrink", f.service);
        assertThat(shrink.exit()).as(shrink.out() + shrink.err()).isZero();
        assertThat(shrink.out()).startsWith("vcr pool shrink " + f.service + ": removed m2 (" + m2 + "): 1 active; m2 is the standby; stopped m3");
        assertThat(f.dig()).containsExactly(m1);
        assertThat(f.lxcState("pool-m3-" + f.suffix)).isEqualTo("STOPPED");
        assertThat(f.lxcState("pool-m2-" + f.suffix)).as("the member taken out keeps serving clients that hold the old RRset").isEqualTo("RUNNING");
    }

    @Test
    void atItsLimitsThePoolSaysSoWithExit18AndChangesNothing() throws Exception {
        VcrRun shrink = pool("pool", "shrink", f.service);
        assertThat(shrink.exit()).isEqualTo(18);
        assertThat(shrink.out()).contains("1 active, the minimum is 1: nothing changed");
        assertThat(f.dig()).containsExactly(m1);

        var set = f.dns.update(org.vcrecovery.dns.DnsChange.of(f.zone, f.record, org.vcrecovery.dns.RecordType.A, 30, m1, m2, m3));
        assertThat(set.applied()).as(set.message()).isTrue();
        VcrRun grow = pool("pool", "grow", f.service);
        assertThat(grow.exit()).isEqualTo(18);
        assertThat(grow.out()).contains("no standby or idle member left: all 3 members are active: nothing changed");
        assertThat(f.dig()).containsExactlyInAnyOrder(m1, m2, m3);
    }

    @Test
    void zabbixsMovingAverageOpensTheGrowProblemAndPendingGrowsThatPool() throws Exception {
        Path yaml = Path.of(System.getProperty("vcr.repo", "..")).resolve("zabbix-templates")
                .resolve(Sandbox.get().value(Sandbox.ZABBIX_VERSION).startsWith("6") ? "vcrecovery_pool.yaml" : "7.0/vcrecovery_pool.yaml");
        f.zabbix().importConfiguration(Files.readString(yaml), ImportRules.defaults());
        String group = f.zabbix().hostGroupByName(Sandbox.get().value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        String template = f.zabbix().templateByName("vcrecovery pool").orElseThrow().templateId();
        String hostId = f.zabbix().call("host.create", Map.of("host", f.service, "groups", List.of(Map.of("groupid", group)),
                "templates", List.of(Map.of("templateid", template)),
                "macros", List.of(Map.of("macro", "{$VCR.POOL.WINDOW}", "value", "10s"), Map.of("macro", "{$VCR.POOL.INTERVAL}", "value", "1s"),
                        Map.of("macro", "{$VCR.POOL.MIN.INTERVAL}", "value", "30s"))))
                .path("hostids").path(0).asText();
        try {
            Sandbox sb = Sandbox.get();
            new ProcessBuilder(sb.value(Sandbox.ZABBIX_SERVER_BIN), "-c", sb.value("ZABBIX_SERVER_CONF"), "-R", "config_cache_reload")
                    .redirectErrorStream(true).start().waitFor();
            InetSocketAddress t = sb.address(Sandbox.ZABBIX_TRAPPER);
            ZabbixSender sender = ZabbixSender.builder().server(InetSocketAddress.createUnresolved(t.getHostString(), t.getPort())).build();
            Instant deadline = Instant.now().plusSeconds(90);
            JsonNode problem = null;
            while (Instant.now().isBefore(deadline)) {
                sender.send(List.of(new SenderValue(f.service, "vcr.pool.samples", "{\"m1\": 92.5}")));
                JsonNode open = f.zabbix().call("problem.get", Map.of("hostids", List.of(hostId), "selectTags", "extend"));
                if (open.size() > 0) {
                    problem = open.path(0);
                    break;
                }
                Thread.sleep(1000);
            }
            assertThat(problem).as("a grow problem within 90 s of samples at 92.5 %").isNotNull();
            assertThat(problem.path("name").asText()).contains("grow");
            assertThat(problem.path("tags").toString()).contains("\"pool-grow\"", "\"" + f.service + "\"");

            VcrRun r = pool("pool", "grow", "--pending");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).startsWith("event " + problem.path("eventid").asText() + ": vcr pool grow " + f.service + ": promoted m2");
            assertThat(f.dig()).containsExactlyInAnyOrder(m1, m2);
            JsonNode acks = f.zabbix().call("event.get", Map.of("eventids", List.of(problem.path("eventid").asText()),
                    "select_acknowledges", "extend")).path(0).path("acknowledges");
            assertThat(acks.toString()).contains("vcr: vcr pool grow " + f.service + ": promoted m2");
            // The value is in the server's cache once vcr has sent it; in the API's item.get once a history syncer wrote it (~1 s).
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode changed = f.zabbix().call("item.get", Map.of("hostids", List.of(hostId), "filter", Map.of("key_", List.of("vcr.pool.active")),
                        "output", List.of("lastvalue"))).path(0);
                assertThat(changed.path("lastvalue").asText()).as("vcr reported the new membership to the pool host").isEqualTo("2");
            });
        } finally {
            f.zabbix().deleteHosts(List.of(hostId));
        }
    }
}
