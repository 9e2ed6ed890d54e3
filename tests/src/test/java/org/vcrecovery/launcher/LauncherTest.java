package org.vcrecovery.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/vcr itself, run by bash against a stand-in JDK whose {@code java} only records its
 * arguments (and writes the archive when asked to dump one): which AppCDS archive a run maps or
 * makes, and how fast a served run falls back when {@code vcr serve}'s address is black-holed.
 * Runs as root like the sandbox; "another user" is nobody.
 */
class LauncherTest {
    @TempDir
    Path tmp;
    Path app;
    Path log;

    @BeforeEach
    void install() throws IOException {
        app = tmp.resolve("app");
        Files.createDirectories(app.resolve("bin"));
        Files.createDirectories(app.resolve("lib"));
        Files.copy(Path.of("../bin/vcr"), app.resolve("bin/vcr"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(app.resolve("lib/vcr.classpath"), "lib/vcr.jar\n");
        Files.writeString(app.resolve("lib/vcr.jar"), "");
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(tmp.resolve("jdk/release"), "JAVA_VERSION=\"17.0.9\"\n");
        log = tmp.resolve("java.log");
        Path java = Files.writeString(jdk.resolve("java"), """
                #!/bin/sh
                echo "$*" >>"%s"
                dump= jsa=
                for a; do
                    case $a in
                        -Xshare:dump) dump=1 ;;
                        -XX:SharedArchiveFile=*) jsa=${a#*=} ;;
                        -XX:DumpLoadedClassList=*) echo java/lang/Object >"${a#*=}" ;;
                    esac
                done
                [ -n "$dump" ] && echo archive >"$jsa"
                exit 0
                """.formatted(log));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void anArchiveIsMadeAndUsedOnlyInADirectoryNoOtherUserControls() throws Exception {
        Files.setOwner(app.resolve("lib"), nobody()); // lib/ is not ours: the cache in HOME is used
        Path home = Files.createDirectories(tmp.resolve("root-home"));
        run(home, "--version");
        Path cache = home.resolve(".cache/vcrecovery");
        List<Path> made = list(cache);
        assertThat(made).hasSize(1).allMatch(p -> p.getFileName().toString().matches("vcr-17-\\d+\\.jsa"));
        assertThat(lastLine()).contains("-XX:DumpLoadedClassList=" + cache + "/.vcr-cds.");
        run(home, "--version");
        assertThat(lastLine()).contains("-XX:SharedArchiveFile=" + made.get(0));

        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxr-x"));
        run(home, "--version");
        assertThat(lastLine()).doesNotContain("SharedArchiveFile", "DumpLoadedClassList");
    }

    @Test
    void rootWithAnotherUsersHomeNeitherMapsTheirArchiveNorWritesThere() throws Exception {
        Files.setOwner(app.resolve("lib"), nobody());
        Path own = Files.createDirectories(tmp.resolve("root-home"));
        run(own, "--version"); // learns the archive's name
        Path archive = list(own.resolve(".cache/vcrecovery")).get(0);
        // sudo -E: HOME is alice's, and alice planted an archive of the right name and fresh mtime
        Path alice = Files.createDirectories(tmp.resolve("alice/.cache/vcrecovery"));
        Files.copy(archive, alice.resolve(archive.getFileName()));
        try (Stream<Path> s = Files.walk(tmp.resolve("alice"))) {
            for (Path p : s.toList()) Files.setOwner(p, nobody());
        }
        List<Path> before = list(alice);
        run(tmp.resolve("alice"), "--version");
        assertThat(lastLine()).doesNotContain("SharedArchiveFile", "DumpLoadedClassList");
        assertThat(list(alice)).isEqualTo(before);
        run(tmp.resolve("nowhere"), "--version", Map.of("XDG_CACHE_HOME", tmp.resolve("alice/.cache").toString()));
        assertThat(lastLine()).doesNotContain("SharedArchiveFile", "DumpLoadedClassList");
        assertThat(list(alice)).isEqualTo(before);
    }

    @Test
    void aBlackHoledServeAddressFallsBackToAFreshRunWithinASecondOrTwo() throws Exception {
        try (ServerSocket hole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // a full accept queue: the kernel drops further SYNs, so a connect hangs for minutes
            List<SocketChannel> filler = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hole.getLocalPort()));
                filler.add(c);
            }
            Path serve = Files.writeString(tmp.resolve("serve"), "127.0.0.1 " + hole.getLocalPort() + " " + "ab".repeat(32) + "\n");
            long t0 = System.nanoTime();
            Process p = start(tmp.resolve("home"), List.of("recover", "--runbook", "web"),
                    Map.of("VCR_SERVE_FILE", serve.toString(), "VCR_CDS", "off"));
            boolean ended = p.waitFor(20, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (!ended) p.destroyForcibly();
            for (SocketChannel c : filler) c.close();
            assertThat(ended).as("bin/vcr still waiting for the black-holed address after 20 s").isTrue();
            assertThat(ms).isLessThan(5000);
            assertThat(lastLine()).endsWith("org.vcrecovery.vcr.Vcr recover --runbook web"); // run here, fresh
        }
    }

    private Process start(Path home, List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", app.resolve("bin/vcr").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VCR_") || k.equals("XDG_CACHE_HOME"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private void run(Path home, String arg) throws Exception {
        run(home, arg, Map.of());
    }

    private void run(Path home, String arg, Map<String, String> env) throws Exception {
        Process p = start(home, List.of(arg), env);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out"))).isZero();
    }

    private String lastLine() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        // a dump run logs the run, then the dump: the run is the line before
        String last = lines.get(lines.size() - 1);
        return last.contains("-Xshare:dump") ? lines.get(lines.size() - 2) : last;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static UserPrincipal nobody() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }
}
