package org.vcrecovery.vcr.runbook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a small tree that remembers the line of every key and value, so
 * that problems can be reported as {@code file:line: field: message}.
 *
 * <p>Uses only Jackson's streaming YAML parser (no data binding): keeps start-up cheap for a
 * fresh JVM. Anchors, tags and multi-document streams are not supported (a runbook does not need
 * them). A syntax error throws {@link YamlException} with the line the parser stopped at; a
 * repeated key is reported in {@link #duplicates()} rather than silently overwritten.
 */
public final class YamlTree {

    /** A node of the tree; {@code line} is 1-based. */
    public sealed interface Node permits Scalar, MapNode, ListNode {
        int line();
    }

    /** A scalar; {@code text} is null for YAML null ({@code ~}, {@code null} or empty). */
    public record Scalar(String text, int line) implements Node {}

    /** A key of a mapping with the line it was written on. */
    public record Entry(String key, int keyLine, Node value) {}

    /** A mapping in document order. */
    public record MapNode(Map<String, Entry> entries, int line) implements Node {}

    /** A sequence. */
    public record ListNode(List<Node> items, int line) implements Node {}

    /** A syntax error: the parser's message and where it stopped. */
    public static final class YamlException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        YamlException(String message, int line) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private final List<Entry> duplicates = new ArrayList<>();
    private final Node root;

    private YamlTree(Reader in) throws YamlException, IOException {
        JsonParser p = new YAMLFactory().createParser(in);
        try (p) {
            JsonToken t = p.nextToken();
            root = t == null ? new Scalar(null, 1) : read(p);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new YamlException(e.getOriginalMessage().replaceAll("\\s+", " ").trim(), line);
        }
    }

    /** Reads one YAML document; the reader is not closed. */
    public static YamlTree read(Reader in) throws YamlException, IOException {
        return new YamlTree(in);
    }

    public Node root() {
        return root;
    }

    /** Keys written twice in one mapping (the later value was ignored). */
    public List<Entry> duplicates() {
        return duplicates;
    }

    private Node read(JsonParser p) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Entry> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    Entry e = new Entry(key, keyLine, read(p));
                    if (map.containsKey(key)) duplicates.add(e);
                    else map.put(key, e);
                }
                return new MapNode(map, line);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(p));
                return new ListNode(items, line);
            }
            case VALUE_NULL:
                return new Scalar(null, line);
            default:
                return new Scalar(p.getText(), line);
        }
    }
}
