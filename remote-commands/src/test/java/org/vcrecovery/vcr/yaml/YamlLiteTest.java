package org.vcrecovery.vcr.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path reads what it accepts exactly as Jackson's YAML parser does, and refuses the rest. */
class YamlLiteTest {
    static Stream<String> documents() throws Exception {
        List<String> docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("../recovery-scripts/runbooks"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) docs.add(Files.readString(p));
        }
        docs.add(Files.readString(Path.of("src/main/dist/conf/vcr.yaml")));
        docs.add("service: web\nstandbys:\n  - name: w\n    options:\n      lxcpath: /var/lib/lxc\n    port: 8080\n"
                + "ladder:\n  - action: restart-service\n    script: Restart httpd\n  - reboot-vm\n  - failover\n");
        docs.add("a:\n- x\n- y: 1\n  z: 'q r'\nb: \"s t\"  # c\nc: ~\nd:\ne: null\n");
        docs.add("---\nlist:\n  -\n    k: v\n  - plain text with spaces\n  - 'quoted: colon'\nurl: test+unix:///default?socket=/a/b\n");
        docs.add("k: v\nk: w\n");
        docs.add("");
        docs.add("# only a comment\n");
        docs.add("root:\n    deep:\n        deeper: 1\n    back: 2\n");
        return docs.stream();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void whatTheFastPathReadsIsWhatJacksonReads(String text) throws Exception {
        YamlTree lite = YamlLite.parse(text);
        YamlTree full = YamlTree.full(text);
        assertThat(lite).as("the fast path should accept:\n" + text).isNotNull();
        assertThat(lite.root()).isEqualTo(full.root());
        assertThat(lite.duplicates()).isEqualTo(full.duplicates());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a: [1, 2]\n", "a: {b: c}\n", "a: &x 1\nb: *x\n", "a: !tag 1\n", "a: |\n  text\n", "a: >\n  text\n",
        "a: \"esc\\\"aped\"\n", "a: b: c\n", "\ta: 1\n", "a:\n  b: 1\n c: 2\n", "a: 'unterminated\n", "- - x\n",
        "just a scalar\n", "? complex\n", "a: 1\n...\n", "'quoted key': 1\n", "a: 1\n---\nb: 2\n", "a: *x\n", "- *x\n"})
    void anythingOutsideTheSubsetFallsBackToTheFullParser(String text) {
        assertThat(YamlLite.parse(text)).isNull();
    }
}
