package org.vcrecovery.vcr.ladder;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderActionTest {
    /** A primary that records what the rungs did to it. */
    static final class Recording implements LadderAction.Primary {
        final List<String> did = new ArrayList<>();
        final String domain;
        final boolean zabbix;
        String scriptOutput = "";

        Recording(String domain, boolean zabbix) {
            this.domain = domain;
            this.zabbix = zabbix;
        }

        @Override public String zabbixHost() { return "web-vm"; }
        @Override public String domain() { return domain; }
        @Override public boolean hasZabbix() { return zabbix; }
        @Override public String runScript(String script) { did.add("script " + script); return scriptOutput; }
        @Override public void reboot() { did.add("reboot " + domain); }
    }

    private static LadderStep step(LadderAction a, String script) {
        return new LadderStep(a, script, a.defaultWait());
    }

    @Test
    void eachRungActsOnThePrimaryAndSaysWhat() throws Exception {
        Recording p = new Recording("web-vm", true);
        p.scriptOutput = "restarted nginx";

        assertThat(LadderAction.act(step(LadderAction.RESTART_SERVICE, "restart-web"), p))
                .isEqualTo(new LadderAction.Result(true, "ran script 'restart-web' on web-vm: restarted nginx"));
        assertThat(LadderAction.act(step(LadderAction.REBOOT_VM, null), p))
                .isEqualTo(new LadderAction.Result(true, "rebooted domain web-vm"));
        assertThat(p.did).containsExactly("script restart-web", "reboot web-vm");
    }

    @Test
    void aRungThatCannotActHereIsSkippedAndTouchesNothing() throws Exception {
        Recording p = new Recording(null, false);

        assertThat(LadderAction.act(step(LadderAction.RESTART_SERVICE, "restart-web"), p))
                .isEqualTo(new LadderAction.Result(false, "no Zabbix API configured"));
        assertThat(LadderAction.act(step(LadderAction.REBOOT_VM, null), p))
                .isEqualTo(new LadderAction.Result(false, "the primary is not a libvirt domain"));
        assertThat(p.did).isEmpty();
    }

    @Test
    void aLongScriptOutputIsCutAt200Characters() throws Exception {
        Recording p = new Recording("web-vm", true);
        p.scriptOutput = "x".repeat(300);

        String detail = LadderAction.act(step(LadderAction.RESTART_SERVICE, "restart-web"), p).detail();

        assertThat(detail).endsWith(": " + "x".repeat(200) + "...");
    }

    @Test
    void thePlanSaysWhatEachRungDoesAndHowLongThePrimaryIsRechecked() {
        assertThat(LadderAction.planLine(step(LadderAction.RESTART_SERVICE, "restart-web"), "web-vm", "web-dom"))
                .isEqualTo("restart-service: run Zabbix script 'restart-web' on host web-vm, then re-check the primary for up to 3s.");
        assertThat(LadderAction.planLine(new LadderStep(LadderAction.REBOOT_VM, null, Duration.ofSeconds(40)), "web-vm", "web-dom"))
                .isEqualTo("reboot-vm: reboot domain web-dom, then re-check the primary for up to 40s.");
        assertThat(LadderAction.planLine(step(LadderAction.FAILOVER, null), "web-vm", "web-dom")).isEqualTo("failover: the steps below.");
    }
}
