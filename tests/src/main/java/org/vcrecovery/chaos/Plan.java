package org.vcrecovery.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fault plan of a chaos run, drawn entirely from the seed before the first run: the same
 * seed, run count and fault list give the same faults, delays and holds, whatever happens
 * during the runs (so a violation replays with {@code --seed S}).
 */
record Plan(long seed, List<Entry> entries) {
    /** Run {@code run} (1-based) gets {@code fault}, fired {@code delayMs} after the failure, held {@code holdMs}. */
    record Entry(int run, Fault fault, long delayMs, long holdMs) {
        String describe() {
            return fault.name() + (fault.delayMax() > 0 ? " at +" + delayMs + " ms" : "")
                    + (fault.holdMax() > 0 ? " for " + holdMs + " ms" : "");
        }
    }

    static Plan draw(long seed, int runs, List<Fault> faults) {
        if (faults.isEmpty()) throw new IllegalArgumentException("no faults to draw from");
        Random r = new Random(seed);
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Fault f = faults.get(r.nextInt(faults.size()));
            long delay = f.delayMax() == 0 ? 0 : r.nextInt(f.delayMax() + 1);
            long hold = f.holdMin() + (f.holdMax() == f.holdMin() ? 0 : r.nextInt(f.holdMax() - f.holdMin() + 1));
            out.add(new Entry(i, f, delay, hold));
        }
        return new Plan(seed, List.copyOf(out));
    }
}
