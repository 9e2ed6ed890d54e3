package org.vcrecovery.vcr.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What YAML lets pass silently but would change what vcr does is an error naming its line. */
class YamlTreeTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an alias as a value          | a: &x web-vm\\nb: *x\\n                          | 2 | '*x' is a YAML alias",
        "an alias as a list item      | a: &x 1\\nl:\\n  - 2\\n  - *x\\n                | 4 | '*x' is a YAML alias",
        "a merge key                  | base: &b\\n  k: v\\nc:\\n  <<: *b\\n            | 4 | '*b' is a YAML alias",
        "a second document            | a: 1\\n---\\nb: 2\\n                            | 3 | this is a second YAML document",
        "a second document after ---  | ---\\nservice: web\\n---\\nservice: evil\\n      | 4 | this is a second YAML document",
        "a second document after ...  | a: 1\\n...\\n---\\nb: 2\\n                      | 4 | this is a second YAML document",
    })
    void isRefusedWithItsLine(String why, String text, int line, String message) {
        YamlTree.YamlException e = catchThrowableOfType(YamlTree.YamlException.class,
                () -> YamlTree.read(new StringReader(text.replace("\\n", "\n"))));
        assertThat(e).as(why).isNotNull();
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.getMessage()).contains(message);
    }
}
