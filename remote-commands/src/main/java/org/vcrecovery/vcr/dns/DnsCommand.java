package org.vcrecovery.vcr.dns;

import org.vcrecovery.vcr.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vcr dns}: set or read a service name's record on its authoritative server with RFC 2136
 * dynamic updates (TSIG-signed, compare-and-swap, verified). Without a subcommand it prints usage
 * and exits {@link ExitCode#USAGE}.
 */
@Command(
        name = "dns",
        mixinStandardHelpOptions = true,
        description = "Set (RFC 2136 UPDATE, TSIG, compare-and-swap, verified) or read a DNS record.",
        subcommands = {DnsSetCommand.class, DnsGetCommand.class})
public final class DnsCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }
}
