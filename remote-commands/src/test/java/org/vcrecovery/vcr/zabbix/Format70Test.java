package org.vcrecovery.vcr.zabbix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcrecovery.vcr.zabbix.templates.VcrTemplates;

/**
 * The committed {@code zabbix-templates/7.0/} files against their format-6.0 twins: the same
 * templates and objects (uuids, keys, triggers, macros), in the shape a 7.0 server imports without
 * converting, with the dashboard laid out the same on 7.0's 72-column grid.
 */
class Format70Test {
    static Stream<String> files() {
        return TemplatesTest.files();
    }

    static JsonNode read(String relative) throws IOException {
        return TemplateBundle.mapper().readTree(TemplatesTest.DIR.resolve(relative).toFile()).path("zabbix_export");
    }

    @ParameterizedTest
    @MethodSource("files")
    void isFormatSevenWithTemplateGroups(String name) throws IOException {
        JsonNode e = read(VcrTemplates.DIR_7_0 + "/" + name);
        assertThat(e.path("version").asText()).isEqualTo("7.0");
        assertThat(e.has("groups")).isFalse();
        assertThat(e.path("template_groups")).isEqualTo(read(name).path("groups"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void holdsTheSameObjectsWithTheSameUuids(String name) throws IOException {
        JsonNode six = read(name);
        JsonNode seven = read(VcrTemplates.DIR_7_0 + "/" + name);
        assertThat(uuidsAndKeys(seven)).isEqualTo(uuidsAndKeys(six)).isNotEmpty();
        assertThat(seven.path("triggers")).isEqualTo(six.path("triggers"));
        assertThat(seven.path("graphs")).isEqualTo(six.path("graphs"));
        JsonNode t6 = six.path("templates").path(0);
        JsonNode t7 = seven.path("templates").path(0);
        assertThat(t7.path("macros")).isEqualTo(t6.path("macros"));
        assertThat(t7.path("valuemaps")).isEqualTo(t6.path("valuemaps"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void itemsKeepSixPointZerosHistoryWhere70ChangedTheDefault(String name) throws IOException {
        JsonNode t = read(VcrTemplates.DIR_7_0 + "/" + name).path("templates").path(0);
        List<JsonNode> all = new ArrayList<>();
        t.path("items").forEach(all::add);
        t.path("discovery_rules").forEach(r -> r.path("item_prototypes").forEach(all::add));
        assertThat(all).isNotEmpty().allSatisfy(i -> assertThat(i.path("history").asText()).as(i.path("key").asText()).isEqualTo("90d"));
        t.path("discovery_rules").forEach(r -> assertThat(r.path("enabled_lifetime_type").asText()).isEqualTo("DISABLE_NEVER"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void dashboardsHaveTheSameLayoutOnTheSeventyTwoColumnGrid(String name) throws IOException {
        JsonNode d6 = read(name).path("templates").path(0).path("dashboards");
        JsonNode d7 = read(VcrTemplates.DIR_7_0 + "/" + name).path("templates").path(0).path("dashboards");
        assertThat(d7.size()).isEqualTo(d6.size()).isPositive();
        for (int d = 0; d < d6.size(); d++) {
            JsonNode w6 = d6.path(d).path("pages").path(0).path("widgets");
            JsonNode w7 = d7.path(d).path("pages").path(0).path("widgets");
            assertThat(w7.size()).isEqualTo(w6.size());
            for (int i = 0; i < w6.size(); i++) {
                JsonNode a = w6.path(i);
                JsonNode b = w7.path(i);
                assertThat(b.path("name").asText()).isEqualTo(a.path("name").asText());
                assertThat(b.path("x").asInt()).isEqualTo(3 * a.path("x").asInt());
                assertThat(b.path("width").asInt()).isEqualTo(3 * a.path("width").asInt());
                assertThat(b.path("y").asInt()).isEqualTo(a.path("y").asInt());
                assertThat(b.path("height").asInt()).isEqualTo(a.path("height").asInt());
                assertThat(b.path("x").asInt() + b.path("width").asInt()).isLessThanOrEqualTo(72);
                assertThat(b.path("type").asText()).matches("[a-z]+");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theBundleForSevenHasTheSameTemplatesAndCounts() {
        TemplateBundle six = TemplateBundle.load(TemplatesTest.DIR);
        TemplateBundle seven = six.forVersion(new org.vcrecovery.zabbix.api.ZabbixVersion(7, 0, 9));
        assertThat(seven.files()).extracting(f -> f.path().getParent().getFileName().toString()).containsOnly("7.0");
        assertThat(six.forVersion(new org.vcrecovery.zabbix.api.ZabbixVersion(6, 0, 14))).isSameAs(six);
        for (int i = 0; i < six.files().size(); i++) {
            TemplateBundle.Template a = six.files().get(i).templates().get(0);
            TemplateBundle.Template b = seven.files().get(i).templates().get(0);
            assertThat(b.name()).isEqualTo(a.name());
            assertThat(b.counts()).isEqualTo(a.counts());
            assertThat(b.digest()).isNotEqualTo(a.digest());
        }
    }

    private static List<String> uuidsAndKeys(JsonNode export) {
        List<String> out = new ArrayList<>();
        JsonNode t = export.path("templates").path(0);
        out.add(t.path("uuid").asText());
        t.path("items").forEach(i -> out.add(i.path("uuid").asText() + " " + i.path("key").asText()));
        t.path("discovery_rules").forEach(r -> {
            out.add(r.path("uuid").asText() + " " + r.path("key").asText());
            r.path("item_prototypes").forEach(i -> out.add(i.path("uuid").asText() + " " + i.path("key").asText()));
            r.path("trigger_prototypes").forEach(i -> out.add(i.path("uuid").asText() + " " + i.path("expression").asText()));
            r.path("graph_prototypes").forEach(i -> out.add(i.path("uuid").asText() + " " + i.path("name").asText()));
        });
        t.path("dashboards").forEach(d -> out.add(d.path("uuid").asText()));
        return out;
    }
}
