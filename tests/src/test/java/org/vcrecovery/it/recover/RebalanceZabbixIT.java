package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.sender.SenderResult;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * The hostile side of rebalancing against the real Zabbix: the recovery VM template's CPU items
 * take no value from a sender (the agent's item and the calculated average: a forged 100 % is
 * refused), so only Zabbix's own average can raise the CPU-high problem, and {@code vcr rebalance
 * --pending} without that problem moves nothing, whatever the container's load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RebalanceZabbixIT {
    private RecoverFixture f;
    private String vm1;
    private String vm2;
    private String c1;
    private String c2;
    private String hostId;

    @BeforeAll
    void setUp() throws Exception {
        f = new RecoverFixture("rbz");
        vm1 = "rbz-vm1-" + f.suffix;
        vm2 = "rbz-vm2-" + f.suffix;
        c1 = "rbz-1-" + f.suffix;
        c2 = "rbz-2-" + f.suffix;
        f.lxcContainer(true, c1, f.address(2));
        f.lxcContainer(false, c2, f.address(3));
        // This checkout's recovery VM template (the shared Zabbix may hold another checkout's): the one with vcr.cpu.avg.
        java.nio.file.Path repo = java.nio.file.Path.of(System.getProperty("vcr.repo", "..")).toAbsolutePath().normalize();
        String dir = f.sandbox.value(Sandbox.ZABBIX_VERSION).startsWith("6.") ? "zabbix-templates" : "zabbix-templates/7.0";
        f.zabbix().importConfiguration(java.nio.file.Files.readString(repo.resolve(dir).resolve("vcrecovery_standby_vm.yaml")),
                org.vcrecovery.zabbix.api.ImportRules.defaults());
        String group = f.zabbix().hostGroupByName(f.sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        String template = f.zabbix().templateByName("vcrecovery standby VM").orElseThrow().templateId();
        hostId = f.zabbix().createHost(vm1, List.of(group), List.of(HostInterface.agent("127.0.0.1", 20050)), List.of(template));
        f.onClose(() -> f.zabbix().deleteHosts(List.of(hostId)));
        f.config();
        f.runbook(f.service, "service: " + f.service + "\nzabbix-host: " + f.service + "-vm\nprimary:\n  address: " + f.address(1)
                + "\nstandbys:\n"
                + new RecoverFixture.Standby(c1, "cold-container", f.address(2)).lxcpath(f.lxcpath()).zabbixHost(vm1).yaml()
                + new RecoverFixture.Standby(c2, "cold-container", f.address(3)).lxcpath(f.lxcpath()).zabbixHost(vm2).yaml()
                + "checks:\n  - protocol: http\n    port: " + f.port + "\n" + f.dnsSection());
        f.dnsSet(f.address(2));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void aForgedCpuValueIsRefusedAndWithoutZabbixsProblemNothingMoves() throws Exception {
        ZabbixSender sender = ZabbixSender.builder().server(f.sandbox.address(Sandbox.ZABBIX_TRAPPER)).readTimeout(Duration.ofSeconds(10)).build();
        // The template's items are in the server's configuration cache within a few seconds: until then every value is refused anyway.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode items = f.zabbix().call("item.get", Map.of("output", List.of("key_"), "hostids", List.of(hostId),
                    "filter", Map.of("key_", List.of("system.cpu.util", "vcr.cpu.avg"))));
            return items.size() == 2;
        });
        Thread.sleep(3000);
        SenderResult r = sender.send(List.of(new SenderValue(vm1, "system.cpu.util", "100", null, null),
                new SenderValue(vm1, "vcr.cpu.avg", "100", null, null)));
        assertThat(r.processed()).as(r.toString()).isZero();
        assertThat(r.failed()).as(r.toString()).isEqualTo(2);
        // Only the CPU-high problem: the host's agent interface is the sandbox agent's, whose other problems (availability) may open meanwhile.
        JsonNode problems = f.zabbix().call("problem.get", Map.of("hostids", List.of(hostId), "output", List.of("eventid", "name"),
                "search", Map.of("name", "CPU average above")));
        assertThat(problems).as("no CPU-high problem from a forged value").isEmpty();

        VcrRun pending = f.vcr("rebalance", "--config", f.dir.resolve("vcr.yaml").toString(), "--pending", "--from", vm1);

        assertThat(pending.exit()).as(pending.out() + pending.err()).isZero();
        assertThat(pending.out()).isEqualTo("no open CPU-high problem on " + vm1 + " in Zabbix (open, unacknowledged, not suppressed):"
                + " nothing moved\n");
        assertThat(f.dig()).containsExactly(f.address(2));
        assertThat(f.lxcState(c1)).isEqualTo("RUNNING");
        assertThat(f.lxcState(c2)).isEqualTo("STOPPED");
    }
}
