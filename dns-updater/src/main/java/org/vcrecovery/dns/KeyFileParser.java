package org.vcrecovery.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the BIND {@code key} statement: {@code key "name" { algorithm ALG; secret "B64"; };}.
 * A tiny tokenizer (strings, words, braces, semicolons; comments skipped) rather than regexes,
 * so line breaks and comments anywhere are fine. Messages name the file, never the secret.
 */
final class KeyFileParser {
    private final List<String> tokens;
    private final String where;
    private int pos;

    private KeyFileParser(List<String> tokens, String where) {
        this.tokens = tokens;
        this.where = where;
    }

    static TsigKey parse(String text, String where) {
        KeyFileParser p = new KeyFileParser(tokenize(text, where), where);
        TsigKey key = p.key();
        if (p.pos < p.tokens.size()) {
            throw new IllegalArgumentException(where + ": more than one statement; give a file holding one key");
        }
        return key;
    }

    private TsigKey key() {
        if (!"key".equals(next())) throw fail("does not start with a key statement (key \"name\" { ... };)");
        String name = next();
        if (name == null || name.equals("{")) throw fail("the key has no name");
        name = unquote(name);
        expect("{");
        String algorithm = null;
        String secret = null;
        while (true) {
            String t = next();
            if (t == null) throw fail("unterminated key statement (missing '};')");
            if (t.equals("}")) break;
            String v = next();
            // a word we do not know may be a pasted secret: only our own clause names are echoed
            if (v == null || v.equals(";")) throw fail((isClause(t) ? t : "a clause") + " has no value");
            switch (t) {
                case "algorithm" -> algorithm = unquote(v);
                case "secret" -> secret = unquote(v);
                default -> { /* other clauses are not ours to check */ }
            }
            expect(";");
        }
        if (pos < tokens.size() && tokens.get(pos).equals(";")) pos++;
        if (secret == null) throw fail("key \"" + name + "\" has no secret");
        TsigKey.Algorithm alg;
        try {
            alg = algorithm == null ? TsigKey.Algorithm.HMAC_SHA256 : TsigKey.Algorithm.parse(algorithm);
        } catch (IllegalArgumentException e) {
            throw fail("the algorithm is not one of hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1, hmac-md5"
                    + (algorithm.matches("(?i)hmac-[a-z0-9.-]{1,40}") ? " (it says " + algorithm + ")" : ""));
        }
        return new TsigKey(name, alg, TsigKey.decode(secret, where + ": key \"" + name + "\""));
    }

    private static boolean isClause(String t) {
        return t.equals("algorithm") || t.equals("secret");
    }

    private String next() {
        return pos < tokens.size() ? tokens.get(pos++) : null;
    }

    private void expect(String want) {
        String t = next();
        if (!want.equals(t)) {
            // only structural tokens are echoed: a stray word might be part of the secret
            String found = t == null ? "the end" : "{};".contains(t) ? "'" + t + "'" : "a word";
            throw fail("expected '" + want + "' but found " + found);
        }
    }

    private IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(where + ": not a BIND key file: " + what);
    }

    private static String unquote(String t) {
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static List<String> tokenize(String s, String where) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < n && s.charAt(i + 1) == '/')) {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) throw new IllegalArgumentException(where + ": unterminated /* comment");
                i = end + 2;
            } else if (c == '{' || c == '}' || c == ';') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) throw new IllegalArgumentException(where + ": unterminated quoted string");
                out.add(s.substring(i, end + 1));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && "{};\"".indexOf(s.charAt(i)) < 0) i++;
                out.add(s.substring(start, i));
            }
        }
        return out;
    }
}
