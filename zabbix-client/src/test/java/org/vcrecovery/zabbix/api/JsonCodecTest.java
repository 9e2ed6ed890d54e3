package org.vcrecovery.zabbix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    private final JsonCodec json = new JsonCodec();

    @Test
    void writesParamsAndReadsThemBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "ü\"\\\n");
        m.put("i", 42);
        m.put("l", 1700000000123L);
        m.put("d", 0.5);
        m.put("b", true);
        m.put("n", null);
        m.put("list", List.of("a", 1));
        m.put("array", new String[] {"x"});
        byte[] bytes = json.write(m);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "{\"s\":\"ü\\\"\\\\\\n\",\"i\":42,\"l\":1700000000123,\"d\":0.5,\"b\":true,\"n\":null,\"list\":[\"a\",1],\"array\":[\"x\"]}");
        assertThat(json.write(json.read(bytes))).isEqualTo(bytes);
    }

    @Test
    void refusesWhatItCannotWriteNamingTheType() {
        assertThatThrownBy(() -> json.write(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void refusesTrailingGarbageAndEmptyDocuments() {
        assertThatThrownBy(() -> json.read("{} x".getBytes(StandardCharsets.UTF_8))).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> json.read(new byte[0])).hasMessageContaining("empty");
        assertThat(Arrays.asList(1)).isNotEmpty();
    }
}
