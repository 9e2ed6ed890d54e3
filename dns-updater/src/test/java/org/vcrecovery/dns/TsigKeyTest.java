package org.vcrecovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TsigKeyTest {
    static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=";

    @TempDir
    Path dir;

    @Test
    void readsWhatTsigKeygenWrites() throws IOException {
        TsigKey k = TsigKey.fromFile(file("""
                key "ddns-key.example.test" {
                	algorithm hmac-sha256;
                	secret "%s";
                };
                """.formatted(SECRET)));
        assertThat(k.name()).isEqualTo("ddns-key.example.test.");
        assertThat(k.algorithm()).isEqualTo(TsigKey.Algorithm.HMAC_SHA256);
        assertThat(k).isEqualTo(new TsigKey("ddns-key.example.test", TsigKey.Algorithm.HMAC_SHA256,
                Base64.getDecoder().decode(SECRET)));
    }

    @Test
    void toleratesCommentsWhitespaceAndOneLine() throws IOException {
        TsigKey k = TsigKey.fromFile(file("""
                # written by tsig-keygen
                // another comment
                /* a block
                   comment */ key    "k1"{algorithm   hmac-sha512 ; # trailing
                secret
                   "%s" ;} ;
                """.formatted(SECRET)));
        assertThat(k.name()).isEqualTo("k1.");
        assertThat(k.algorithm()).isEqualTo(TsigKey.Algorithm.HMAC_SHA512);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TsigKey.Algorithm.class)
    void everyAlgorithmIsReadFromAKeyFile(TsigKey.Algorithm alg) throws IOException {
        TsigKey k = TsigKey.fromFile(file("key \"k\" { algorithm " + alg.bindName() + "; secret \"" + SECRET + "\"; };"));
        assertThat(k.algorithm()).isEqualTo(alg);
        assertThat(k.toTsig()).isNotNull();
    }

    @Test
    void theAlgorithmDefaultsToHmacSha256AndAcceptsTheLongMd5Name() throws IOException {
        assertThat(TsigKey.fromFile(file("key k { secret \"" + SECRET + "\"; };")).algorithm())
                .isEqualTo(TsigKey.Algorithm.HMAC_SHA256);
        assertThat(TsigKey.Algorithm.parse("HMAC-MD5.SIG-ALG.REG.INT.")).isEqualTo(TsigKey.Algorithm.HMAC_MD5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad base64             | key \"k\" { algorithm hmac-sha256; secret \"not*base64!\"; };  | the secret is not valid base64",
        "missing secret         | key \"k\" { algorithm hmac-sha256; };                         | has no secret",
        "empty secret           | key \"k\" { secret \"\"; };                                   | the secret is empty",
        "unknown algorithm      | key \"k\" { algorithm hmac-sha3; secret \"" + SECRET + "\"; }; | is not one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1, hmac-md5 (it says hmac-sha3)",
        "not a key statement    | options { directory \"/tmp\"; };                            | does not start with a key statement",
        "no name                | key { secret \"" + SECRET + "\"; };                          | the key has no name",
        "unterminated           | key \"k\" { secret \"" + SECRET + "\";                        | unterminated key statement",
        "unterminated string    | key \"k\" { secret \"abc                                      | unterminated quoted string",
        "missing semicolon      | key \"k\" { secret \"" + SECRET + "\" }                        | expected ';'",
        "two keys               | key a { secret \"" + SECRET + "\"; }; key b { secret \"" + SECRET + "\"; }; | more than one statement",
        "empty file             | ' '                                                          | does not start with a key statement",
        "the secret as a clause | key \"k\" { \"" + SECRET + "\"; };                              | a clause has no value",
        "bare secret as a clause| key \"k\" { " + SECRET + "; };                                  | a clause has no value",
        "secret as algorithm    | key \"k\" { algorithm " + SECRET + "; secret \"" + SECRET + "\"; }; | the algorithm is not one of",
    })
    void badKeyFilesAreRejectedWithoutShowingTheSecret(String why, String text, String message) throws IOException {
        Path f = file(text);
        assertThatThrownBy(() -> TsigKey.fromFile(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(f.toString())
                .message().doesNotContain(SECRET);
    }

    @ParameterizedTest(name = "mode {0} is refused")
    @CsvSource({"rw-r--r--, others", "rw-r-----, its group", "rw----r--, others"})
    void aKeyFileOthersCanReadIsRefused(String mode, String who) throws IOException {
        Path f = file("key k { secret \"" + SECRET + "\"; };");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        assertThatThrownBy(() -> TsigKey.fromFile(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readable by " + who)
                .hasMessageContaining("chmod 600 " + f);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "k1:" + SECRET + "                 | k1.    | HMAC_SHA256",
        "hmac-sha512:k2:" + SECRET + "     | k2.    | HMAC_SHA512",
        "hmac-md5:k3.example.:" + SECRET + " | k3.example. | HMAC_MD5",
    })
    void parsesNsupdateStyleKeyStrings(String text, String name, TsigKey.Algorithm alg) {
        TsigKey k = TsigKey.parse(text);
        assertThat(k.name()).isEqualTo(name);
        assertThat(k.algorithm()).isEqualTo(alg);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "justaname            | expected name:base64",
        "a:b:c:d              | expected name:base64",
        "k:%%%                | not valid base64",
        "hmac-foo:k:" + SECRET + " | hmac-foo is not one of",
    })
    void badKeyStringsAreRejected(String text, String message) {
        assertThatThrownBy(() -> TsigKey.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void secretsAreAcceptedExactlyAsTheEarlierRegexesAcceptedThem() {
        // decode() checks by hand what replaceAll("\\s", "") and matches("[A-Za-z0-9+/]+={0,2}") did
        java.util.Random random = new java.util.Random(4648);
        String alphabet = "Az09+/=  \t\n\r\f\u000B*-_.";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(14); n > 0; n--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String text = sb.toString();
            String t = text.replaceAll("\\s", "");
            boolean wanted = !t.isEmpty() && t.matches("[A-Za-z0-9+/]+={0,2}") && t.length() % 4 != 1;
            boolean accepted;
            try {
                TsigKey.decode(text, "test");
                accepted = true;
            } catch (IllegalArgumentException e) {
                accepted = false;
            }
            // the JDK's decoder may still refuse what the pattern lets through (e.g. "A===" shapes)
            if (accepted) assertThat(wanted).as("accepted %s", text.replace("\n", "\\n")).isTrue();
            if (!wanted) assertThat(accepted).as("%s", text).isFalse();
            if (wanted) {
                boolean jdk;
                try {
                    Base64.getDecoder().decode(t);
                    jdk = true;
                } catch (IllegalArgumentException e) {
                    jdk = false;
                }
                assertThat(accepted).as("%s", text).isEqualTo(jdk);
            }
        }
    }

    @Test
    void toStringNeverShowsTheSecret() {
        TsigKey k = TsigKey.parse("k:" + SECRET);
        assertThat(k.toString()).isEqualTo("hmac-sha256:k. (secret not shown)").doesNotContain(SECRET);
    }

    private Path file(String text) throws IOException {
        Path f = Files.createTempFile(dir, "key", ".key");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }
}
