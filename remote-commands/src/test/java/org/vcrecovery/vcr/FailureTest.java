package org.vcrecovery.vcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Every way a command can fail ends as an exit code and one line, errors included. */
class FailureTest {
    record Case(Throwable thrown, int exit, String line) {}

    @Test
    void exceptionsAndErrorsEndAsDocumentedExitCodesWithOneLine() {
        for (Case c : List.of(
                new Case(new VcrException(ExitCode.USAGE, "--vm: 'a;b' is not a valid name"), 2, "vcr: --vm: 'a;b' is not a valid name"),
                new Case(new IllegalStateException("boom\nsecond line"), 1, "vcr: unexpected error: java.lang.IllegalStateException: boom / second line"),
                new Case(new OutOfMemoryError("Java heap space"), 1, "vcr: unexpected fatal error: java.lang.OutOfMemoryError: Java heap space"),
                new Case(new StackOverflowError(), 1, "vcr: unexpected fatal error: java.lang.StackOverflowError"),
                new Case(new NoClassDefFoundError("org/libvirt/Connect"), 1, "vcr: unexpected fatal error: java.lang.NoClassDefFoundError: org/libvirt/Connect"))) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            Callable<Integer> body = () -> {
                if (c.thrown() instanceof Error e) throw e;
                throw (Exception) c.thrown();
            };
            int exit = Failure.run(body, new PrintWriter(out), new PrintWriter(err), false);
            assertThat(exit).as(c.thrown().toString()).isEqualTo(c.exit());
            assertThat(err.toString()).isEqualTo(c.line() + System.lineSeparator());
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void outOfMemoryIsCountedEvenWhenWrapped() {
        long before = Failure.outOfMemory();
        Failure.noted(new RuntimeException(new OutOfMemoryError("Java heap space")));
        Failure.noted(new IllegalStateException("not memory"));
        assertThat(Failure.outOfMemory()).isEqualTo(before + 1);
    }
}
