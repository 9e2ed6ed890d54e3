package org.vcrecovery.vcr.runbook;

import java.util.List;
import org.vcrecovery.vcr.yaml.InvalidYamlException;
import org.vcrecovery.vcr.yaml.Problem;

/** A runbook with problems (every one of them, with file, line and field). */
public final class InvalidRunbookException extends InvalidYamlException {
    private static final long serialVersionUID = 1L;

    public InvalidRunbookException(List<Problem> problems) {
        super(problems);
    }
}
