package org.vcrecovery.vcr.yaml;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a YAML file: where ({@code file:line}), which field (a path such as
 * {@code standbys[1].kind}) and what. {@code line} is 0 when unknown.
 */
public record Problem(Path file, int line, String field, String message) {
    public Problem {
        Objects.requireNonNull(field, "field == null");
        Objects.requireNonNull(message, "message == null");
    }

    /** {@code file:line: field: message}, the form editors and grep understand. */
    @Override
    public String toString() {
        String where = (file == null ? "<runbook>" : file.toString()) + ":" + line;
        return field.isEmpty() ? where + ": " + message : where + ": " + field + ": " + message;
    }
}
