package org.vcrecovery.vcr.standby.lxc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vcrecovery.vcr.standby.StandbyException;

/** {@link ToolRunner} over {@link ProcessBuilder}: stdin from /dev/null, output capped at 64 KiB per stream. */
final class ProcessToolRunner implements ToolRunner {
    private static final int MAX_OUTPUT = 64 * 1024;
    // A daemonising tool (lxc-start -d) may leave its output pipe to a child for a moment:
    // after the process exits, wait this long at most for the streams to end.
    private static final long DRAIN_MILLIS = 200;

    @Override
    public Result run(List<String> argv, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new StandbyException(StandbyException.Code.UNREACHABLE,
                    "cannot run " + argv.get(0) + ": " + e.getMessage() + " (is lxc installed?)", e);
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        try {
            if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new StandbyException(StandbyException.Code.TIMEOUT,
                        argv.get(0) + " did not finish within " + timeout.toMillis() + " ms: " + String.join(" ", argv));
            }
            out.join(DRAIN_MILLIS);
            err.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StandbyException(StandbyException.Code.FAILED, "interrupted while running " + argv.get(0), e);
        }
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** Reads one stream on a daemon thread, keeping the first MAX_OUTPUT bytes. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("vcr-tool-drain");
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] chunk = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buf) {
                        if (buf.size() < MAX_OUTPUT) buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                    }
                }
            } catch (IOException ignored) {
                // The process went away; keep what was read.
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
