package org.vcrecovery.vcr.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vcrecovery.vcr.yaml.YamlTree.Entry;
import org.vcrecovery.vcr.yaml.YamlTree.ListNode;
import org.vcrecovery.vcr.yaml.YamlTree.MapNode;
import org.vcrecovery.vcr.yaml.YamlTree.Node;
import org.vcrecovery.vcr.yaml.YamlTree.Scalar;
import org.vcrecovery.vcr.yaml.YamlTree.YamlException;

/**
 * The slow path of {@link YamlTree}: Jackson's streaming YAML parser (SnakeYAML underneath), for
 * every construct {@link YamlLite} does not take, and for the syntax errors. Two things Jackson
 * lets pass silently are errors here: an alias ({@code *name}, which it reads as the text
 * "name") and a second document (which it never reads). Kept in its own
 * class so that the fast path never loads a YAML library.
 */
final class YamlFull {
    private YamlFull() {}

    static YamlTree parse(String text) throws YamlException, IOException {
        List<Entry> duplicates = new ArrayList<>();
        JsonParser p = new YAMLFactory().createParser(text);
        try (p) {
            JsonToken t = p.nextToken();
            Node root = t == null ? new Scalar(null, 1) : read(p, duplicates);
            if (t != null && p.nextToken() != null) {
                // Jackson would stop after the first document and silently drop the rest
                throw new YamlException("this is a second YAML document (after a '---' line): a file holds one"
                        + " (remove the second, or merge it into the first)", p.currentTokenLocation().getLineNr());
            }
            return new YamlTree(root, duplicates);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new YamlException(e.getOriginalMessage().replaceAll("\\s+", " ").trim(), line);
        }
    }

    private static Node read(JsonParser p, List<Entry> duplicates) throws IOException, YamlException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        refuseAlias(p, line);
        switch (t) {
            case START_OBJECT: {
                Map<String, Entry> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    refuseAlias(p, keyLine);
                    p.nextToken();
                    Entry e = new Entry(key, keyLine, read(p, duplicates));
                    if (map.containsKey(key)) duplicates.add(e);
                    else map.put(key, e);
                }
                return new MapNode(map, line);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(p, duplicates));
                return new ListNode(items, line);
            }
            case VALUE_NULL:
                return new Scalar(null, line);
            default:
                return new Scalar(p.getText(), line);
        }
    }

    /** Jackson reads an alias ({@code *name}) as the text "name": a value nobody wrote. */
    private static void refuseAlias(JsonParser p, int line) throws YamlException, IOException {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw new YamlException("'*" + p.getText().replaceAll("[^\\x20-\\x7e]", "?")
                    + "' is a YAML alias: not supported here, write the value out", line);
        }
    }
}
