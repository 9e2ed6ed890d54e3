package org.vcrecovery.it.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code bin/vcr} run as Zabbix runs it: a process of its own, configured through
 * the environment ({@code VCR_CONFIG}, {@code VCR_STATE_DIR}, {@code VCR_RUNBOOKS} of a
 * {@link RecoverFixture}, plus {@code extra}), its stdout and stderr captured apart.
 */
final class VcrProcess {
    record Result(int exit, String out, String err) {}

    private VcrProcess() {}

    static Path launcher() {
        Path repo = Path.of(System.getProperty("vcr.repo", "..")).toAbsolutePath().normalize();
        Path launcher = repo.resolve("bin/vcr");
        assertThat(launcher).as("the repository's launcher").isExecutable();
        return launcher;
    }

    /** Starts {@code bin/vcr ARGS} with the fixture's environment and {@code extra}. */
    static Process start(RecoverFixture f, Map<String, String> extra, Path out, Path err, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("VCR_CONFIG", f.dir.resolve("vcr.yaml").toString());
        pb.environment().put("VCR_STATE_DIR", f.state.toString());
        pb.environment().put("VCR_RUNBOOKS", f.runbooks.toString());
        pb.environment().putAll(extra);
        return pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** Runs {@code bin/vcr ARGS} to its end (60 s at most). */
    static Result run(RecoverFixture f, Map<String, String> extra, String... args) throws Exception {
        Path out = Files.createTempFile(f.dir, "out", ".txt");
        Path err = Files.createTempFile(f.dir, "err", ".txt");
        Process p = start(f, extra, out, err, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("vcr finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
