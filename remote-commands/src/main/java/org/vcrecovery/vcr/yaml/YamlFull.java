package org.vcrecovery.vcr.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
 * every construct {@link YamlLite} does not take, and for the syntax errors. Kept in its own
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
            return new YamlTree(root, duplicates);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new YamlException(e.getOriginalMessage().replaceAll("\\s+", " ").trim(), line);
        }
    }

    private static Node read(JsonParser p, List<Entry> duplicates) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Entry> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
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
}
