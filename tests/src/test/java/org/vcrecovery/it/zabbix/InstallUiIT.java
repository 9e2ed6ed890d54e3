package org.vcrecovery.it.zabbix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vcrecovery.it.Sandbox;
import org.vcrecovery.it.VcrRun;
import org.vcrecovery.zabbix.api.HostInterface;
import org.vcrecovery.zabbix.api.ZabbixApi;
import org.vcrecovery.zabbix.sender.SenderValue;
import org.vcrecovery.zabbix.sender.ZabbixSender;

/**
 * What an operator sees in the Zabbix web UI after {@code vcr zabbix install}, checked with a
 * real headless Chromium: signing in through the frontend's form, the KVM template's dashboard
 * on a linked host (with a discovered VM's graphs) laid out without gaps, empty graph cells or
 * cut text at 1600x1200 (on 6.0's 24-column and 7.0's 72-column grid alike), and the host menu
 * listing the two vcrecovery scripts. Screenshots are kept in {@code tests/target/screenshots/}.
 */
class InstallUiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target", "screenshots");

    static Sandbox sandbox;
    static ZabbixApi api;
    static String host;
    static String hostId;
    static String vm;
    static List<String> previousInstall;

    @BeforeAll
    static void installAndLinkAHost() throws Exception {
        sandbox = Sandbox.get();
        InstallIT.sandbox = sandbox;
        api = ZabbixApi.builder(URI.create(sandbox.value(Sandbox.ZABBIX_API_URL)))
                .tokenFile(sandbox.path(Sandbox.ZABBIX_TOKEN_FILE)).build();
        previousInstall = InstallIT.previousInstall(api);
        VcrRun r = InstallIT.install();
        assertThat(r.exit()).as(r.err()).isZero();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        host = "it-ui-kvm-" + suffix;
        vm = "web-" + suffix;
        String group = api.hostGroupByName(sandbox.value(Sandbox.ZABBIX_HOSTGROUP)).orElseThrow().groupId();
        InetSocketAddress agent = sandbox.address(Sandbox.ZABBIX_AGENT);
        hostId = api.createHost(host, List.of(group), List.of(HostInterface.agent(agent.getHostString(), agent.getPort())),
                List.of(api.templateByName(InstallIT.KVM).orElseThrow().templateId()));
        ZabbixSender sender = ZabbixSender.of(sandbox.address(Sandbox.ZABBIX_TRAPPER));
        String discovery = "[{\"{#VM.NAME}\":\"" + vm + "\",\"{#VM.UUID}\":\"" + UUID.randomUUID() + "\"}]";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                sender.send(List.of(new SenderValue(host, "vcr.vm.discovery", discovery))).processed() == 1);
        // A few minutes of history so the dashboard's graphs have lines to draw.
        Instant now = Instant.now();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<SenderValue> values = new ArrayList<>();
            for (int i = 20; i >= 0; i--) {
                Instant at = now.minusSeconds(10L * i);
                values.add(SenderValue.at(host, "vcr.vm.cpu[" + vm + "]", String.valueOf(20 + (i * 7) % 45), at));
                values.add(SenderValue.at(host, "vcr.vm.state[" + vm + "]", i > 3 ? "1" : "3", at));
                values.add(SenderValue.at(host, "vcr.listener.traps.received", String.valueOf(100 - i * 4), at));
                values.add(SenderValue.at(host, "vcr.listener.values.sent", String.valueOf(90 - i * 4), at));
            }
            values.add(new SenderValue(host, "vcr.vm.event[" + vm + "]", "SUSPENDED PAUSED"));
            values.add(new SenderValue(host, "vcr.listener.last.event.age", "2"));
            values.add(new SenderValue(host, "vcr.listener.spool.bytes", "0"));
            values.add(new SenderValue(host, "vcr.trap.unknown", "1.3.6.1.4.1.99999.0.1 from 127.0.0.1: no mapping"));
            return sender.send(values).processed() == values.size();
        });
    }

    @AfterAll
    static void deleteHost() throws Exception {
        if (api == null) return;
        try {
            if (hostId != null) api.deleteHosts(List.of(hostId));
        } finally {
            InstallIT.restore(previousInstall);
            api.close();
        }
    }

    @Test
    void theFrontendShowsTheTemplateDashboardAndTheHostMenuScripts() throws Exception {
        Path repo = InstallIT.repo();
        String frontend = System.getProperty("vcr.frontend.url", sandbox.value(Sandbox.ZABBIX_FRONTEND_URL));
        String password = Files.readString(sandbox.path(Sandbox.ZABBIX_PASSWORD_FILE)).trim();
        String base = frontend.endsWith("/") ? frontend : frontend + "/";
        try (Chromium browser = Chromium.launch(1600, 1200)) {
            browser.navigate(base + "index.php");
            browser.eval("(" + Chromium.script(repo, "login.js") + ")(" + JSON.writeValueAsString(sandbox.value(Sandbox.ZABBIX_USER))
                    + "," + JSON.writeValueAsString(password) + ")");
            browser.waitUntil("location.href.includes('action=dashboard.view') && document.readyState === 'complete' && document.body", Duration.ofSeconds(20));
            assertThat(browser.eval("document.body.innerText").asText())
                    .as("the web server serving the frontend lacks the en_US.UTF-8 locale: tests/env/up must generate it"
                            + " (locale-gen) before starting PHP, or every widget shows a warning instead of its content")
                    .doesNotContain("is not found on the web server");

            browser.navigate(base + "zabbix.php?action=host.dashboard.view&hostid=" + hostId);
            browser.waitUntil("(" + Chromium.script(repo, "dashboard-ready.js") + ")(7)", Duration.ofSeconds(30));
            Thread.sleep(500); // let the last graph image paint
            browser.screenshot(SHOTS.resolve("kvm-host-dashboard.png"));
            List<String> widgets = Chromium.texts(browser.eval("(" + Chromium.script(repo, "dashboard-widgets.js") + ")()"));
            // A graph prototype widget shows one cell per discovered graph, titled with the graph's name.
            assertThat(widgets).contains("VM " + vm + ": state", "VM " + vm + ": CPU", "Listener: traps and values",
                    "Host reachable", "Last event age", "Spool", "Unknown traps");
            assertThat(browser.eval("document.body.innerText").asText()).contains("vcrecovery: KVM host", host);
            assertThat(browser.eval("document.querySelectorAll('.dashboard-grid-widget img').length").asInt())
                    .as("graphs drawn (one per VM in each graph prototype widget, one classic)").isGreaterThanOrEqualTo(3);
            assertLaidOutWithoutGaps(browser.eval("(" + Chromium.script(repo, "dashboard-layout.js") + ")()"));

            // 6.0 filters the host list by filter_name, 7.0 by name.
            String nameParam = sandbox.value(Sandbox.ZABBIX_VERSION).startsWith("6.") ? "filter_name" : "name";
            browser.navigate(base + "zabbix.php?action=host.view&" + nameParam + "=" + host + "&filter_set=1");
            String findLink = "(" + Chromium.script(repo, "find-link.js") + ")";
            browser.waitUntil(findLink + "(" + JSON.writeValueAsString(host) + ")", Duration.ofSeconds(20));
            browser.pointAt(findLink + "(" + JSON.writeValueAsString(host) + ")", true);
            browser.waitUntil(findLink + "('vcrecovery')", Duration.ofSeconds(20));
            browser.pointAt(findLink + "('vcrecovery')", false);
            browser.waitUntil(findLink + "('vcrecovery: recover pending now')", Duration.ofSeconds(10));
            Thread.sleep(300); // the submenu fades in
            browser.screenshot(SHOTS.resolve("host-menu-scripts.png"));
            List<String> entries = Chromium.texts(browser.eval("(" + Chromium.script(repo, "menu-entries.js") + ")()"));
            assertThat(entries).contains("vcrecovery", "vcrecovery: recover pending now", "vcrecovery: show pending plan")
                    .doesNotContain("vcrecovery: recover VM (action)", "vcrecovery: recover host (action)");
        }
        assertThat(Files.size(SHOTS.resolve("kvm-host-dashboard.png"))).isGreaterThan(20_000);
        assertThat(Files.size(SHOTS.resolve("host-menu-scripts.png"))).isGreaterThan(20_000);
    }

    /**
     * The dashboard as an operator sees it at 1600x1200: its widgets tile the grid (no hole between
     * or below them, the top row spans the whole width), no graph prototype widget shows an empty
     * cell, and no title, value or item name is cut short with an ellipsis.
     */
    static void assertLaidOutWithoutGaps(com.fasterxml.jackson.databind.JsonNode layout) {
        String seen = layout.toString();
        double top = Double.MAX_VALUE;
        for (var t : layout.path("tiles")) top = Math.min(top, t.path("top").asDouble());
        double left = Double.MAX_VALUE;
        double right = 0;
        for (var t : layout.path("tiles")) {
            if (Math.abs(t.path("top").asDouble() - top) > 1) continue;
            left = Math.min(left, t.path("left").asDouble());
            right = Math.max(right, t.path("right").asDouble());
        }
        org.assertj.core.data.Offset<Double> px = org.assertj.core.data.Offset.offset(2.0);
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        soft.assertThat(layout.path("tiles").size()).as("widgets: " + seen).isGreaterThanOrEqualTo(7);
        soft.assertThat(layout.path("gapPoints").asInt()).as("points (px from the top-left widget) no widget covers, e.g. "
                + layout.path("gaps") + ": " + seen).isZero();
        soft.assertThat(left).as("top row starts at the grid's left edge: " + seen).isCloseTo(layout.path("gridLeft").asDouble(), px);
        soft.assertThat(right).as("top row reaches the grid's right edge: " + seen).isCloseTo(layout.path("gridRight").asDouble(), px);
        soft.assertThat(layout.path("placeholders").asInt()).as("empty cells in graph prototype widgets").isZero();
        soft.assertThat(Chromium.texts(layout.path("truncated"))).as("text cut short with an ellipsis").isEmpty();
        soft.assertAll();
    }
}
