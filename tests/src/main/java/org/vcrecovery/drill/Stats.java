package org.vcrecovery.drill;

import java.util.Arrays;
import java.util.List;

/**
 * Median and p95 of a list of durations in milliseconds. The median of an even count is the mean
 * of the two middle values; p95 is the nearest-rank percentile (the smallest value with at least
 * 95% of the values at or below it), so with fewer than 20 runs it is the largest.
 *
 * @param count  how many values
 * @param median the median, ms
 * @param p95    the 95th percentile, ms
 * @param max    the largest value, ms
 */
public record Stats(int count, double median, long p95, long max) {
    public Stats {
        if (count < 1) throw new IllegalArgumentException("count < 1: " + count);
    }

    /** Stats of {@code millis}; throws IllegalArgumentException when it is empty. */
    public static Stats of(List<Long> millis) {
        if (millis == null || millis.isEmpty()) throw new IllegalArgumentException("millis is empty");
        long[] v = millis.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
        int rank = (int) Math.ceil(0.95 * n);
        return new Stats(n, median, v[Math.max(rank, 1) - 1], v[n - 1]);
    }
}
