package org.vcrecovery.vcr.zabbix;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vcr zabbix}: setting Zabbix up for vcrecovery. Without a subcommand it prints its usage. */
@Command(name = "zabbix", mixinStandardHelpOptions = true,
        description = "Set up Zabbix for vcrecovery: templates, host-menu scripts, recovery actions; the agent rules for the menu's choices.",
        subcommands = {InstallCommand.class, AgentRulesCommand.class})
public final class ZabbixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return org.vcrecovery.vcr.ExitCode.USAGE.code();
    }
}
