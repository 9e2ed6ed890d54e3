package org.vcrecovery.vcr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void jsonEscapesWhatItWrites() {
        assertThat(new Json().open().field("m", "a \"b\"\n\\").field("n", 3).field("l", List.of("x")).close().toString())
                .isEqualTo("{\"m\":\"a \\\"b\\\"\\n\\\\\",\"n\":3,\"l\":[\"x\"]}");
    }

    @Test
    void nestedObjectsArraysAndNullsGetTheirCommas() {
        assertThat(new Json().open().field("a", (String) null).openObject("o").field("t", true).close()
                .openArray("s").open().field("x", 1).close().open().close().closeArray()
                .field("e", List.of()).close().toString())
                .isEqualTo("{\"a\":null,\"o\":{\"t\":true},\"s\":[{\"x\":1},{}],\"e\":[]}");
    }

    @Test
    void controlCharactersDelAndLineSeparatorsAreEscaped() {
        assertThat(new Json().value("\r\t\u0001\u007f\u2028\u2029").toString()).isEqualTo("\"\\r\\t\\u0001\\u007f\\u2028\\u2029\"");
    }
}
