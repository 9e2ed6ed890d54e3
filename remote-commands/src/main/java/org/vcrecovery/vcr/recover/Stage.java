package org.vcrecovery.vcr.recover;

/**
 * One small stage of a run (recovery or failback): does its steps through the run's
 * {@link StepRunner}, may leave what later stages need in the run's holder, and returns
 * {@link Verdict#CONTINUE} or a stop with an exit code and headline. Never throws for what
 * happens on the network or in a backend: that is a step result and a verdict.
 */
@FunctionalInterface
interface Stage {
    Verdict run(RunContext run);
}
