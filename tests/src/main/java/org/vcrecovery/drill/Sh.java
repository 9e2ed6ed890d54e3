package org.vcrecovery.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command (no shell) to completion within a timeout and returns its exit code and output. */
final class Sh {
    record Result(int code, String out) {
        boolean ok() {
            return code == 0;
        }
    }

    private Sh() {}

    static Result run(long timeoutSeconds, String... cmd) {
        return run(null, timeoutSeconds, List.of(cmd));
    }

    static Result run(Path dir, long timeoutSeconds, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[][] out = {new byte[0]};
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // the process went away: keep what we have
                }
            });
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, cmd.get(0) + " timed out after " + timeoutSeconds + " s");
            }
            reader.join(2000);
            return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(127, cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }

    /** Runs and throws a DrillException naming the command when it fails. */
    static String must(long timeoutSeconds, String... cmd) {
        Result r = run(timeoutSeconds, cmd);
        if (!r.ok()) throw new DrillException(1, String.join(" ", cmd) + " failed (" + r.code() + "): " + oneLine(r.out()));
        return r.out();
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s*\\R\\s*", " | ").trim();
        return t.length() > 400 ? t.substring(0, 400) + " ..." : t;
    }

    /** Runs {@code jobs}, {@code threads} at a time; the first failure is rethrown (a DrillException as is). */
    static void parallel(List<Runnable> jobs, int threads) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
            for (Runnable j : jobs) fs.add(pool.submit(j));
            for (java.util.concurrent.Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof DrillException d) throw d;
                    throw new DrillException(1, String.valueOf(e.getCause()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
