package org.vcrecovery.chaos;

import java.util.Objects;

/**
 * One kind of fault of the chaos suite: what it does before the primary fails ({@code prepare}),
 * what it does {@code delay} ms after the failure ({@code fire}, which may hold the fault for
 * {@code hold} ms and heal it), both drawn per run from the given ranges. Whatever a fault did
 * is undone by {@link Trial#restore} afterwards, also when the run failed. New kinds go in
 * {@link Faults#ALL}.
 *
 * @param name     the name in the plan, the output and {@code --faults}
 * @param what     one line for people
 * @param delayMax upper bound (ms) of the delay from the failure to {@code fire}; 0: at once
 * @param holdMin  lower bound (ms) of how long the fault holds
 * @param holdMax  upper bound (ms) of how long the fault holds
 * @param realFailure false when the primary does not fail at all (a false alarm)
 */
record Fault(String name, String what, int delayMax, int holdMin, int holdMax, boolean realFailure, Step prepare, Step fire) {
    /** A fault's action on a run; {@code holdMs} is the run's drawn hold. */
    interface Step {
        void run(Trial t, long holdMs) throws Exception;
    }

    static final Step NOTHING = (t, h) -> { };

    Fault {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(prepare, "prepare == null");
        Objects.requireNonNull(fire, "fire == null");
        if (delayMax < 0 || holdMin < 0 || holdMax < holdMin) throw new IllegalArgumentException("bad ranges for " + name);
    }
}
