package org.vcrecovery.vcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Exit codes are part of the interface: what --help and README.md say must be what the code does. */
class ExitCodeDocsTest {

    @Test
    void helpListsEveryExitCodeWithItsMeaning() {
        VcrConsole.Run r = VcrConsole.run("--help");
        assertThat(r.exit()).isZero();
        String help = r.out().replaceAll("\\s+", " ");
        for (ExitCode c : ExitCode.values()) {
            assertThat(help).contains(c.code() + " " + c.meaning());
        }
    }

    @Test
    void readmeTableMatchesTheEnum() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ExitCode c : ExitCode.values()) {
            String meaning = c.meaning().replace("--verbose", "`--verbose`").replace("(check-port)", "(`check-port`)");
            assertThat(readme).contains("| " + c.code() + " | " + meaning + " |");
        }
    }
}
