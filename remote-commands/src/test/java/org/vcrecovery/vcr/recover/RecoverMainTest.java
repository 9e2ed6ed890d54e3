package org.vcrecovery.vcr.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The start-up fast path keeps vcr's error contract: one line on stderr, the documented exit codes. */
class RecoverMainTest {
    @Test
    void badInputIsUsageWithOneLineAndVerboseIsAccepted() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertThat(RecoverMain.run("recover", "--verbose", "--event-id", "1", "--trigger-host", "x;y")).isEqualTo(2);
            assertThat(RecoverMain.run("recover", "--no-such-option")).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString()).startsWith("vcr: --trigger-host: 'x;y' is not a valid name")
                .contains("vcr: Unknown option: '--no-such-option'", "Try 'vcr recover --help'.");
    }
}
