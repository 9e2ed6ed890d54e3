package org.vcrecovery.vcr.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request bin/vcr's printf writes is read back whole; anything else is refused with a reason, never run. */
class ServeProtocolTest {
    static final byte[] TOKEN = "0123abcd".getBytes(StandardCharsets.US_ASCII);

    static ServeProtocol.Request read(String request) throws IOException {
        return ServeProtocol.read(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), TOKEN);
    }

    @Test
    void aRequestAsBinVcrWritesItIsReadWhole() throws IOException {
        ServeProtocol.Request r = read("vcr-serve/1 0123abcd\nenv VCR_CONFIG=/etc/vcrecovery/vcr.yaml\nenv VCR_STATE_DIR=/var/lib/v\n"
                + "argc 4\nrecover\0--vm\0{EVENT.TAGS.vm}\0two\nlines\0");
        assertThat(r.refused()).isNull();
        assertThat(r.args()).containsExactly("recover", "--vm", "{EVENT.TAGS.vm}", "two\nlines");
        assertThat(r.env()).isEqualTo(Map.of("VCR_CONFIG", "/etc/vcrecovery/vcr.yaml", "VCR_STATE_DIR", "/var/lib/v"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\n| not a vcr-serve/1 request",
        "vcr-serve/1 0123abce\\nargc 0\\n| denied",
        "vcr-serve/1 0123abc\\nargc 0\\n| denied",
        "vcr-serve/1 \\nargc 0\\n| denied",
        "vcr-serve/1 0123abcd\\nenv PATH=/tmp\\nargc 0\\n| bad env line",
        "vcr-serve/1 0123abcd\\nenv VCR_CONFIG=/a\\nenv VCR_CONFIG=/b\\nargc 0\\n| bad env line",
        "vcr-serve/1 0123abcd\\nargc x\\n| bad argc",
        "vcr-serve/1 0123abcd\\nargc 65\\n| argc out of range",
        "vcr-serve/1 0123abcd\\nargc -1\\n| argc out of range",
        "vcr-serve/1 0123abcd\\nargc 2\\nrecover\\0| fewer arguments than argc",
        "vcr-serve/1 0123abcd\\n| no argc line"})
    void anythingElseIsRefusedWithItsReason(String request, String reason) throws IOException {
        ServeProtocol.Request r = read(request.replace("\\n", "\n").replace("\\0", "\0"));
        assertThat(r.refused()).isEqualTo(reason);
        assertThat(r.args()).isEmpty();
    }

    @Test
    void anOverlongLineIsAnErrorOfTheConnection() {
        assertThatThrownBy(() -> read("vcr-serve/1 " + "x".repeat(ServeProtocol.MAX_LINE + 10) + "\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("over 8192 bytes");
    }

    @Test
    void framesCarryByteCountsSoUtf8OutputSurvives() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServeProtocol.err(out, "vcr: web: start still running after 2 s — Zürich\n");
        ServeProtocol.done(out, 7, "web: no standby passed — Zürich\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "err 52\nvcr: web: start still running after 2 s — Zürich\ndone 7 35\nweb: no standby passed — Zürich\n");
    }
}
