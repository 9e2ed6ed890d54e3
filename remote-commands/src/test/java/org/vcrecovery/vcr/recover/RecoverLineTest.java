package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcrecovery.vcr.VcrAccess;
import picocli.CommandLine;

/** RecoverLine reads a plain {@code vcr recover} line exactly as picocli does, and hands picocli everything else. */
class RecoverLineTest {
    /** What a parsed command holds, as one comparable string. */
    private static String held(RecoverRequest c, boolean verbose) {
        return String.join("|", c.runbook(), c.eventId(), c.triggerHost(), c.vm(), c.standby(), String.valueOf(c.config()),
                String.valueOf(c.runbooks()), String.valueOf(c.stateDir()), "plan=" + c.plan(), "json=" + c.json(),
                "failback=" + c.failback(), "start-primary=" + c.startPrimary(), "pending=" + c.pending(), "verbose=" + verbose,
                "env=" + c.environment().equals(System.getenv()));
    }

    private static String picocli(String[] args) {
        CommandLine cl = VcrAccess.recoverCommandLine();
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        return held(((RecoverCommand) cl.getCommand()).request(), parsed.hasMatchedOption("--verbose"));
    }

    private static String[] words(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--config /etc/vcrecovery/vcr.yaml --event-id 15 --trigger-host kvm-1 --vm {EVENT.TAGS.vm}",
        "--event-id {EVENT.ID} --trigger-host *UNKNOWN* --vm web-vm",
        "--runbook=web --json --plan",
        "--runbook web.yaml --state-dir=/tmp/s --runbooks /etc/vcrecovery/runbooks --standby web-warm --verbose",
        "--failback --start-primary --runbook recovery-scripts/runbooks/web.yaml",
        "--vm= --trigger-host=",
        "--pending", "--pending --plan --config /etc/vcrecovery/vcr.yaml",
        "--trigger-host x;y --event-id 12a",
        ""})
    void aPlainLineIsReadAsPicocliReadsIt(String line) {
        String[] args = words(line);
        RecoverRequest plain = RecoverLine.parse(args);
        assertThat(plain).as("read without picocli").isNotNull();
        assertThat(held(plain, plain.verbose())).isEqualTo(picocli(args));
    }

    @Test
    void everyOptionOfTheCommandIsReadWithoutPicocli() {
        // An option added to RecoverCommand but not to RecoverLine would silently send every
        // Zabbix action through picocli's model again (correct, but ~100 ms slower).
        for (CommandLine.Model.OptionSpec o : VcrAccess.recoverCommandLine().getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            String[] args = o.arity().max() == 0 ? new String[] {o.longestName()} : new String[] {o.longestName(), "/x"};
            assertThat(RecoverLine.parse(args)).as(o.longestName()).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--help", "-h", "--version", "-V", "--no-such-option", "web", "--", "@/tmp/args",
        "--runbook web --runbook mail", "--json --json", "--runbook", "--runbook --json", "--event-id -5",
        "--vm @file", "--plan=true", "--verbose=false", "--pending=true", "--pending --pending", "--config /tmp/a\0b"})
    void anythingElseIsLeftToPicocli(String line) {
        assertThat(RecoverLine.parse(words(line))).as(Arrays.toString(words(line))).isNull();
    }
}
