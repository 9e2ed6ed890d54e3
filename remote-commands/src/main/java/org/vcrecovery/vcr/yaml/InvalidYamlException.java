package org.vcrecovery.vcr.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A YAML file (a runbook, vcr.yaml) with problems: carries every one of them, not only the
 * first, so an operator fixes a file in one pass. The message lists them one per line, each as
 * {@code file:line: field: message}.
 */
public class InvalidYamlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidYamlException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) throw new IllegalArgumentException("problems is empty");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
