package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reading Zabbix's JSON, where numbers usually arrive as strings. */
final class Json {
    private Json() {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String text(JsonNode n, String field, String orElse) {
        String v = text(n, field);
        return v == null ? orElse : v;
    }

    static int integer(JsonNode n, String field) {
        return n.path(field).asInt(0);
    }

    static long number(JsonNode n, String field) {
        return n.path(field).asLong(0);
    }

    static <T> List<T> list(JsonNode array, Function<JsonNode, T> mapper) {
        if (array == null || !array.isArray()) return List.of();
        List<T> out = new ArrayList<>(array.size());
        for (JsonNode n : array) out.add(mapper.apply(n));
        return List.copyOf(out);
    }

    static List<String> ids(JsonNode array, String field) {
        return list(array, n -> n.path(field).asText());
    }

    static <T> java.util.Optional<T> first(List<T> list) {
        return list.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(list.get(0));
    }

    /** {@code [{field: id}, ...]}, the form the API takes links in ({@code groups}, {@code hosts}). */
    static List<java.util.Map<String, Object>> idObjects(String field, List<String> ids) {
        List<java.util.Map<String, Object>> out = new ArrayList<>(ids.size());
        for (String id : ids) out.add(java.util.Map.of(field, id));
        return out;
    }

    /** The first id of a create call's answer ({@code {"hostids": ["10084"]}}); none is an API_ERROR. */
    static String firstId(JsonNode result, String field) throws ZabbixApiException {
        JsonNode ids = result.path(field);
        if (!ids.isArray() || ids.isEmpty()) {
            throw ZabbixApiException.of(ZabbixApiException.Reason.API_ERROR, field, "the API returned no " + field + ": " + result, null);
        }
        return ids.get(0).asText();
    }
}
