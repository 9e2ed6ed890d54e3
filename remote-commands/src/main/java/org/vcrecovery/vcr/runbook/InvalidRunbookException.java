package org.vcrecovery.vcr.runbook;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A YAML file (runbook or config) with problems: carries every one of them, not only the first,
 * so an operator fixes a file in one pass. The message lists them one per line.
 */
public final class InvalidRunbookException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidRunbookException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) throw new IllegalArgumentException("problems is empty");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
