package org.vcrecovery.listener;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs at most one line per interval for a recurring trouble (a flood of bad traps must not
 * flood the log), adding how many were suppressed since the last line.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalMillis;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalMillis = intervalMillis;
    }

    public void warn(String format, Object... args) {
        if (allowed()) log.warn(format + suffix(), args);
    }

    public void info(String format, Object... args) {
        if (allowed()) log.info(format + suffix(), args);
    }

    private boolean allowed() {
        long now = System.currentTimeMillis();
        long n = next.get();
        if (now >= n && next.compareAndSet(n, now + intervalMillis)) return true;
        suppressed.incrementAndGet();
        return false;
    }

    private String suffix() {
        long s = suppressed.getAndSet(0);
        return s == 0 ? "" : " (" + s + " similar suppressed)";
    }
}
