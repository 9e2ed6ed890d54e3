package org.vcrecovery.zabbix.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * JSON in and out with Jackson's streaming layer only. An {@code ObjectMapper} costs ~250 ms of
 * class loading in a fresh JVM (measured on this project's 2-core box: 330 ms vs 70 ms for the
 * same write + read), and {@code vcr} starts a fresh JVM per Zabbix action.
 */
final class JsonCodec {
    private final JsonFactory factory = new JsonFactory();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /** Writes maps, lists, arrays of strings, strings, numbers, booleans, null and {@link JsonNode}s. */
    byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof JsonNode n) writeNode(g, n); // before Iterable: a JsonNode is one
        else if (v instanceof String s) g.writeString(s);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Integer || v instanceof Long || v instanceof Short) g.writeNumber(((Number) v).longValue());
        else if (v instanceof Double || v instanceof Float) g.writeNumber(((Number) v).doubleValue());
        else if (v instanceof BigDecimal d) g.writeNumber(d);
        else if (v instanceof BigInteger i) g.writeNumber(i);
        else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) write(g, o);
            g.writeEndArray();
        } else if (v instanceof Object[] array) {
            g.writeStartArray();
            for (Object o : array) write(g, o);
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName()
                    + " as JSON: use maps, lists, strings, numbers, booleans or JsonNode");
        }
    }

    private void writeNode(JsonGenerator g, JsonNode n) throws IOException {
        if (n.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                g.writeFieldName(e.getKey());
                writeNode(g, e.getValue());
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode e : n) writeNode(g, e);
            g.writeEndArray();
        } else if (n.isTextual()) g.writeString(n.textValue());
        else if (n.isBoolean()) g.writeBoolean(n.booleanValue());
        else if (n.isIntegralNumber()) g.writeNumber(n.bigIntegerValue());
        else if (n.isNumber()) g.writeNumber(n.decimalValue());
        else g.writeNull();
    }

    /** Parses a document into a tree; throws {@link IOException} when it is not one JSON value. */
    JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = factory.createParser(json)) {
            return document(p);
        }
    }

    /**
     * Parses a document from {@code in} as it arrives, without buffering it whole. Not JSON throws
     * a {@link com.fasterxml.jackson.core.JsonProcessingException}; any other {@link IOException}
     * comes from {@code in} itself.
     */
    JsonNode read(java.io.InputStream in) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller may still read it, to quote what was not JSON
            return document(p);
        }
    }

    private JsonNode document(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new JsonParseException(p, "empty document");
        JsonNode n = read(p, t);
        if (p.nextToken() != null) throw new JsonParseException(p, "trailing content after the JSON value");
        return n;
    }

    private JsonNode read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, read(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = nodes.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) a.add(read(p, e));
                return a;
            }
            case VALUE_STRING:
                return nodes.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? nodes.numberNode(p.getBigIntegerValue())
                        : nodes.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new JsonParseException(p, "unexpected JSON token " + t);
        }
    }
}
