package org.vcrecovery.vcr.zabbix;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.vcrecovery.vcr.VcrConsole;

/**
 * What the tests of {@code vcr zabbix install} against a scripted Zabbix API (WireMock on a
 * loopback port) share: the API's URL, a token file as an operator keeps it (mode 600), the
 * committed templates, and {@link #run} with captured out, err and exit code.
 */
@WireMockTest
abstract class ScriptedInstall {
    static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final Path TEMPLATES = TemplatesTest.DIR;

    @TempDir
    Path tmp;
    String url;
    Path tokenFile;
    final VcrConsole console = new VcrConsole();

    @BeforeEach
    void setUpApi(WireMockRuntimeInfo wm) throws Exception {
        url = wm.getHttpBaseUrl() + "/api_jsonrpc.php";
        tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** {@code vcr zabbix install --url URL --token-file FILE --templates DIR EXTRA...}: its exit code. */
    int run(String... extra) {
        List<String> args = new ArrayList<>(List.of("zabbix", "install", "--url", url, "--token-file", tokenFile.toString(),
                "--templates", TEMPLATES.toString()));
        args.addAll(List.of(extra));
        return console.vcr(args.toArray(String[]::new));
    }
}
