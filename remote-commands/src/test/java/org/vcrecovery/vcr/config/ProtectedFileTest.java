package org.vcrecovery.vcr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;

/**
 * vcr.yaml and runbooks decide what vcr destroys: only root and the user running vcr may change
 * them or the directory they are in. (The tests run as root, like the sandbox; "another user" is
 * nobody.)
 */
class ProtectedFileTest {
    @TempDir
    Path tmp;

    private Path file(String dirMode, String fileMode) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Path f = Files.writeString(dir.resolve("web.yaml"), "service: web\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(fileMode));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(dirMode));
        return f;
    }

    @ParameterizedTest(name = "dir {0}, file {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "rwxr-xr-x | rw-rw-r-- | is writable by its group (mode 0664)",
        "rwxr-xr-x | rw-r--rw- | is writable by others (mode 0646)",
        "rwxrwxr-x | rw-r--r-- | the directory TMP/d of runbook TMP/d/web.yaml is writable by its group (mode 0775)",
        "rwxrwxrwx | rw-r--r-- | the directory TMP/d of runbook TMP/d/web.yaml is writable by others (mode 0777)",
    })
    void aFileOrDirectoryOthersCanWriteIsRefused(String dirMode, String fileMode, String message) throws Exception {
        Path f = file(dirMode, fileMode);
        assertThatThrownBy(() -> SecretFile.requireProtected(f, "runbook"))
                .isInstanceOfSatisfying(VcrException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining(message.replace("TMP", tmp.toRealPath().toString()))
                .hasMessageContaining("run chmod go-w ")
                .message().doesNotContain("\n");
    }

    @Test
    void aFileOwnedByAnotherUserIsRefusedAndRootsOrOursIsTaken() throws Exception {
        Path f = file("rwxr-xr-x", "rw-r--r--");
        assertThatCode(() -> SecretFile.requireProtected(f, "config file")).doesNotThrowAnyException();
        Files.setOwner(f, nobody());
        assertThatThrownBy(() -> SecretFile.requireProtected(f, "config file"))
                .isInstanceOf(VcrException.class)
                .hasMessage("config file " + f + " is owned by nobody: only root or " + System.getProperty("user.name")
                        + " who runs vcr may own it (it decides what vcr destroys): run chown "
                        + System.getProperty("user.name") + " " + f.toRealPath());
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        Path f = file("rwxr-xr-x", "rw-r--r--");
        Files.setOwner(f.getParent(), nobody());
        assertThatThrownBy(() -> SecretFile.requireProtected(f, "runbook"))
                .hasMessageContaining("the directory " + f.getParent().toRealPath() + " of runbook")
                .hasMessageContaining("is owned by nobody");
    }

    @Test
    void aStickyDirectoryLikeTmpIsFineSinceNobodyElseCanReplaceTheFile() throws Exception {
        Path f = file("rwxrwxrwx", "rw-r--r--");
        Files.setAttribute(f.getParent(), "unix:mode", 01777);
        assertThatCode(() -> SecretFile.requireProtected(f, "runbook")).doesNotThrowAnyException();
    }

    @Test
    void aSymlinkIsJudgedByWhereItPoints() throws Exception {
        Path f = file("rwxr-xr-x", "rw-rw-rw-");
        Path link = Files.createSymbolicLink(tmp.resolve("link.yaml"), f);
        assertThatThrownBy(() -> SecretFile.requireProtected(link, "runbook"))
                .hasMessageStartingWith("runbook " + link + " (" + f.toRealPath() + ") is writable by others");
    }

    static UserPrincipal nobody() throws Exception {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }
}
