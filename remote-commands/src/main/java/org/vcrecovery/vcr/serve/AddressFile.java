package org.vcrecovery.vcr.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where {@code vcr serve} tells {@code bin/vcr} how to reach it: one line
 * {@code ADDRESS PORT TOKEN}, in a file only its owner can read (the token is the client's proof
 * that it may run recoveries as this user). Written whole or not at all; removed at shutdown
 * only while it is still this server's.
 */
final class AddressFile {
    /** Default location: systemd's RuntimeDirectory of the vcr-serve unit. */
    static final Path DEFAULT = Path.of("/run/vcrecovery/serve");

    private AddressFile() {}

    static void write(Path file, InetSocketAddress address, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, line(address, token), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes {@code file} if it still names this server (another one may have started since). */
    static void remove(Path file, InetSocketAddress address, String token) {
        try {
            if (Files.readString(file, StandardCharsets.US_ASCII).equals(line(address, token))) Files.delete(file);
        } catch (IOException e) {
            // gone already, or replaced: nothing of ours to remove
        }
    }

    private static String line(InetSocketAddress address, String token) {
        return address.getAddress().getHostAddress() + " " + address.getPort() + " " + token + "\n";
    }
}
