package org.vcrecovery.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyLogTest {
    @TempDir
    Path tmp;

    private static Instant at(String hhmmssSss) {
        return LocalDateTime.parse("2026-12-04T" + hhmmssSss).atZone(ZoneId.systemDefault()).toInstant();
    }

    private Path log() throws Exception {
        Path f = tmp.resolve("zabbix_proxy.log");
        Files.writeString(f, """
                  5927:20261204:153650.700 zbx_setproctitle() title:'data sender [sent 3 values in 0.002 sec, idle 1 sec]'
                  5927:20261204:153651.400 zbx_setproctitle() title:'data sender [sent 0 values in 0.002 sec, idle 1 sec]'
                  5927:20261204:153651.713 zbx_setproctitle() title:'data sender [sent 1 values in 0.003 sec, idle 1 sec]'
                  5927:20261204:153652.700 zbx_recv_response() '{"response":"success","tasks":[{"type":2,"command":"/x/bin/vcr recover --event-id 41"}]}'
                  5932:20261204:153653.100 In zbx_script_execute()
                  5927:20261204:153653.700 zbx_recv_response() '{"response":"success","tasks":[{"type":2,"command":"/x/bin/vcr recover --event-id 42"}]}'
                a line without a stamp
                  5932:20261204:153655.710 In zbx_script_execute()
                """);
        return f;
    }

    @Test
    void theMarksAreTheFirstValueSendAfterTheListenerSawItTheCommandNamingTheEventAndTheNextExecution() throws Exception {
        ProxyMarks m = ProxyLog.marks(2, ProxyLog.read(log(), 0), at("15:36:51.000"), "42");
        assertThat(m.valueSent()).isEqualTo(at("15:36:51.713"));
        assertThat(m.taskGot()).isEqualTo(at("15:36:53.700"));
        assertThat(m.taskRan()).as("not the execution of the other event's command before it").isEqualTo(at("15:36:55.710"));
    }

    @Test
    void theActionsLiteralPendingCommandNamesNoEventAndIsTheTaskAfterTheValue() throws Exception {
        Path f = tmp.resolve("pending.log");
        Files.writeString(f, """
                  5927:20261204:153651.713 zbx_setproctitle() title:'data sender [sent 1 values in 0.003 sec, idle 1 sec]'
                  5927:20261204:153652.700 zbx_recv_response() '{"response":"success","tasks":[{"type":2,"command":"/x/bin/vcr recover --pending"}]}'
                  5932:20261204:153653.100 In zbx_script_execute()
                """);
        ProxyMarks m = ProxyLog.marks(1, ProxyLog.read(f, 0), at("15:36:51.000"), "77");
        assertThat(m.taskGot()).isEqualTo(at("15:36:52.700"));
        assertThat(m.taskRan()).isEqualTo(at("15:36:53.100"));
    }

    @Test
    void aLogWithoutTheEventLeavesTheTaskMarksOutAndTheirLegsAbsent() throws Exception {
        ProxyMarks m = ProxyLog.marks(1, ProxyLog.read(log(), 0), at("15:36:51.000"), "99");
        assertThat(m.taskGot()).isNull();
        assertThat(m.taskRan()).isNull();
        RunResult r = new RunResult(1, "99", Map.of(Mark.INJECTED, at("15:36:50.900"), Mark.LISTENER_SAW, at("15:36:50.901"),
                Mark.PROBLEM, at("15:36:52.000")), null, "", false, false, null, "x");
        assertThat(m.legs(r)).containsOnlyKeys("listener saw -> proxy sent the value", "proxy sent the value -> problem in Zabbix")
                .containsEntry("listener saw -> proxy sent the value", 812L);
    }

    @Test
    void readingFromAnOffsetPastTheEndStartsOverAsAfterARotation() throws Exception {
        assertThat(ProxyLog.read(log(), 1_000_000)).hasSize(7);
        assertThat(ProxyLog.read(tmp.resolve("missing.log"), 0)).isEmpty();
    }
}
