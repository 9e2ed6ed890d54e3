package org.vcrecovery.drill;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the drill runs: {@code vcr}, {@code vcr-trap-listener} and the Zabbix templates, either
 * from the source checkout after a build or as the Debian package installed them.
 *
 * @param vcr       the vcr launcher (bin/vcr, or /usr/bin/vcr)
 * @param listener  the listener's launcher
 * @param templates the directory {@code vcr zabbix install} imports templates from
 * @param where     how the drill says where they come from
 */
record Launchers(Path vcr, Path listener, Path templates, String where) {
    static final Path INSTALLED_SHARE = Path.of("/usr/share/vcrecovery");

    /** The checkout's bin/ launchers, which use dist/target/vcrecovery; exit 3 when it is not built. */
    static Launchers checkout(Path repo) {
        if (!Files.isRegularFile(repo.resolve("dist/target/vcrecovery/lib/vcr.classpath"))) {
            throw new DrillException(3, "no build in " + repo.resolve("dist/target/vcrecovery")
                    + ": run mvn -B -q package -DskipTests (tests/drill does)");
        }
        return new Launchers(repo.resolve("bin/vcr"), repo.resolve("bin/vcr-trap-listener"), repo.resolve("zabbix-templates"),
                "the checkout's build (" + repo.resolve("dist/target/vcrecovery") + ")");
    }

    /** The Debian package's /usr/bin launchers and /usr/share/vcrecovery; exit 3 when it is not installed. */
    static Launchers installed() {
        Path vcr = Path.of("/usr/bin/vcr");
        Path listener = Path.of("/usr/bin/vcr-trap-listener");
        if (!Files.isExecutable(vcr) || !Files.isExecutable(listener) || !Files.isDirectory(INSTALLED_SHARE.resolve("zabbix-templates"))) {
            throw new DrillException(3, "vcrecovery is not installed (no /usr/bin/vcr, /usr/bin/vcr-trap-listener or "
                    + INSTALLED_SHARE.resolve("zabbix-templates") + "): apt-get install ./dist/target/vcrecovery_*_all.deb (tests/drill --installed does)");
        }
        return new Launchers(vcr, listener, INSTALLED_SHARE.resolve("zabbix-templates"), "the installed package (/usr/bin/vcr)");
    }
}
