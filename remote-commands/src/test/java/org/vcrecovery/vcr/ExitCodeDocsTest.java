package org.vcrecovery.vcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Exit codes are part of the interface: what --help and README.md say must be what the code does. */
class ExitCodeDocsTest {

    @Test
    void helpListsEveryExitCodeWithItsMeaning() {
        StringWriter out = new StringWriter();
        var cl = Vcr.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
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
