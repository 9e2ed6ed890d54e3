package org.vcrecovery.zabbix.sender;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Zabbix server (or proxy) said about one batch: how many values it processed, how
 * many it refused (unknown host or key, not a trapper item, host not allowed, unparsable
 * value...), the total, and the server-side processing time.
 *
 * <p>A batch with failures is a normal answer, not an exception: Zabbix does not say which
 * values failed. {@code success} is false when the server answered {@code "response":"failed"}
 * (the whole request refused); {@code info} then carries its reason and the counts are
 * {@code 0 / n / n} for a batch of {@code n}.
 *
 * @param processed    values accepted
 * @param failed       values refused
 * @param total        values in the batch as counted by the server
 * @param secondsSpent server-side time, in seconds
 * @param success      true when the server answered {@code "response":"success"}
 * @param info         the server's info string, verbatim (never null)
 */
public record SenderResult(int processed, int failed, int total, double secondsSpent, boolean success, String info) {

    private static final Pattern INFO = Pattern.compile(
            "processed:\\s*(\\d+);\\s*failed:\\s*(\\d+);\\s*total:\\s*(\\d+);\\s*seconds spent:\\s*([0-9.eE+-]+)");

    public SenderResult {
        if (processed < 0) throw new IllegalArgumentException("processed < 0: " + processed);
        if (failed < 0) throw new IllegalArgumentException("failed < 0: " + failed);
        if (total < 0) throw new IllegalArgumentException("total < 0: " + total);
        if (info == null) throw new NullPointerException("info == null");
    }

    /** A successful answer with these counts (info formatted the way Zabbix does). */
    public SenderResult(int processed, int failed, int total, double secondsSpent) {
        this(processed, failed, total, secondsSpent, true, String.format(java.util.Locale.ROOT,
                "processed: %d; failed: %d; total: %d; seconds spent: %.6f", processed, failed, total, secondsSpent));
    }

    /** True when every value of the batch was processed. */
    public boolean allProcessed() {
        return success && failed == 0 && processed == total;
    }

    /**
     * Parses Zabbix's info string ({@code "processed: 1; failed: 0; total: 1; seconds spent: 0.000055"}).
     *
     * @throws IllegalArgumentException if the string does not have that shape
     */
    public static SenderResult parseInfo(String info) {
        if (info == null) throw new NullPointerException("info == null");
        Matcher m = INFO.matcher(info);
        if (!m.find()) throw new IllegalArgumentException("not a sender info string: \"" + info + "\"");
        return new SenderResult(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Double.parseDouble(m.group(4)), true, info);
    }

    /** The answer {@code "response":"failed"} for a batch of {@code batchSize} values. */
    public static SenderResult refused(int batchSize, String info) {
        return new SenderResult(0, batchSize, batchSize, 0.0, false, info == null ? "" : info);
    }
}
