package org.vcrecovery.vcr;

import org.vcrecovery.vcr.recover.RecoverCommand;
import picocli.CommandLine;

/** Package-private parts of {@link Vcr} for tests in other packages. */
public final class VcrAccess {
    private VcrAccess() {}

    /** {@code vcr recover}'s command line as {@link Vcr#main} builds it for picocli. */
    public static CommandLine recoverCommandLine() {
        return Vcr.subcommandLine("recover", RecoverCommand.class);
    }
}
