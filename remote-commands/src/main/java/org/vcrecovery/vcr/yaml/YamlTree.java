package org.vcrecovery.vcr.yaml;

import java.io.IOException;
import java.io.Reader;
import java.util.List;

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
    public record MapNode(java.util.Map<String, Entry> entries, int line) implements Node {}

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

    private final List<Entry> duplicates;
    private final Node root;

    YamlTree(Node root, List<Entry> duplicates) {
        this.root = root;
        this.duplicates = duplicates;
    }

    /**
     * Reads one YAML document; the reader is not closed. The common block-style subset is read
     * by {@link YamlLite} without loading a YAML library; anything else goes to Jackson's parser.
     */
    public static YamlTree read(Reader in) throws YamlException, IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = in.read(buf)) > 0; ) sb.append(buf, 0, n);
        String text = sb.toString();
        YamlTree lite = YamlLite.parse(text);
        return lite != null ? lite : full(text);
    }

    /** Reads with Jackson's YAML parser (SnakeYAML underneath): every construct, and the syntax errors. */
    static YamlTree full(String text) throws YamlException, IOException {
        return YamlFull.parse(text);
    }

    public Node root() {
        return root;
    }

    /** Keys written twice in one mapping (the later value was ignored). */
    public List<Entry> duplicates() {
        return duplicates;
    }

}
