package org.vcrecovery.vcr.recover;

import org.vcrecovery.vcr.recover.StepResult.Outcome;

/** How a step body ({@link StepRunner.Body}) ended: its outcome and a one-line detail for humans. */
record Done(Outcome outcome, String detail) {
    static Done ok(String detail) {
        return new Done(Outcome.OK, detail);
    }

    static Done failed(String detail) {
        return new Done(Outcome.FAILED, detail);
    }

    static Done skipped(String detail) {
        return new Done(Outcome.SKIPPED, detail);
    }
}
