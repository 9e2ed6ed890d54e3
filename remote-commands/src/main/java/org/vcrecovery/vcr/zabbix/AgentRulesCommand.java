package org.vcrecovery.vcr.zabbix;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.ConfigOptions;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.StandbyNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vcr zabbix agent-rules --snippet FILE}: prints the agent snippet FILE with one exact
 * allow line per standby of this host's runbooks ({@link AgentRules}), for the Zabbix 7.0 host
 * menu's standby choice. Reads only; the operator installs what it prints. Exit 0, or 2 with one
 * line (an unreadable or foreign snippet, a runbook that cannot be used) and nothing printed on stdout.
 */
@Command(name = "agent-rules", mixinStandardHelpOptions = true,
        description = {"Print the agent snippet FILE with one exact AllowKey line per standby of this host's runbooks (above its"
                + " DenyKey=system.run[*]; a block printed before is replaced), for the Zabbix 7.0 host-menu script \"recover pending"
                + " now on a chosen standby\". Install the output as the agent's vcrecovery.conf and restart the agent, e.g.:",
            "  vcr zabbix agent-rules --snippet /etc/zabbix/zabbix_agentd.d/vcrecovery.conf >/tmp/v.conf && mv /tmp/v.conf"
                + " /etc/zabbix/zabbix_agentd.d/vcrecovery.conf"})
public final class AgentRulesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Option(names = "--snippet", required = true, paramLabel = "FILE",
            description = "The agent's vcrecovery snippet (classic agent or agent 2) to start from.")
    Path snippet;

    @Override
    public Integer call() {
        List<String> lines;
        try {
            lines = Files.readAllLines(snippet, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "--snippet " + snippet + " cannot be read: " + e.getMessage());
        }
        RunbookCatalog catalog = new RunbookCatalog(options.load().runbookDir());
        List<String> standbys = StandbyNames.of(catalog);
        List<String> out;
        try {
            out = AgentRules.apply(lines, standbys, catalog.dir().toString());
        } catch (IllegalArgumentException e) {
            throw new VcrException(ExitCode.USAGE, "--snippet " + snippet + ": " + e.getMessage() + "; nothing printed");
        }
        if (standbys.isEmpty()) {
            spec.commandLine().getErr().println("vcr: no runbook in " + catalog.dir() + ": the snippet allows no standby choice");
        }
        PrintWriter w = spec.commandLine().getOut();
        for (String l : out) w.println(l);
        w.flush();
        return ExitCode.OK.code();
    }
}
