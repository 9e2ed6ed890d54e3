package org.vcrecovery.listener.ship;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import org.vcrecovery.listener.ItemKeys;
import org.vcrecovery.listener.RateLimitedLog;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.TrapperValue;
import org.vcrecovery.listener.spool.Spool;
import org.vcrecovery.listener.spool.SpoolPosition;
import org.vcrecovery.listener.spool.SpoolReader;
import org.vcrecovery.listener.spool.SpoolRecord;

/**
 * Reads the spool in order and sends batches to Zabbix: one thread, started by {@link #run}.
 *
 * <p><b>Batching.</b> A batch is whatever is durable when the previous send returns, topped
 * up for at most {@code linger} and capped at {@code maxBatch} values.
 *
 * <p><b>Zabbix unreachable</b> ({@link IOException}): the same batch is retried with
 * back-off (100 ms doubling to 5 s); new values keep accumulating in the spool and are sent
 * in order afterwards. Counted in {@link Stats#valuesSpooled}.
 *
 * <p><b>Values Zabbix refuses.</b> Zabbix accepts a trapper value only once its item exists,
 * and LLD creates a new VM's items some seconds after the discovery value. Zabbix's reply says
 * how many values failed, not which, so the first value for an item not yet known to be
 * accepted is sent alone (a probe); if refused, it and every later value of the same item wait
 * and are retried (1 s doubling to 10 s) for at most {@code refusedRetry}, then given up on and
 * counted in {@link Stats#valuesFailed}. Values of items already accepted go in batches; if
 * such a batch is partly refused (an item was deleted), the refused count goes to
 * {@code valuesFailed} and its items are probed again next time. Order is kept per item.
 *
 * <p>The spool cursor moves past a value once it is settled (sent, or given up on).
 *
 * <p>(Over 300 lines on purpose: batching, the transport back-off, the probing and waiting of
 * refused values and their rediscovery all decide together how far the cursor may move
 * ({@code cursor()}), over one backlog, one set of accepted items and one map of waiting values;
 * split, each part would hold a reference to the others' state. The transport is {@link Trapper}.)
 */
public final class Shipper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Shipper.class);
    private static final long MAX_PENDING = 100_000;
    private static final int MAX_CONFIRMED = 200_000;

    private final Spool spool;
    private final SpoolReader reader;
    private final Trapper trapper;
    private final Stats stats;
    private final int maxBatch;
    private final long lingerNanos;
    private final long refusedRetryNanos;
    private final Set<String> confirmed = new HashSet<>();
    private final RateLimitedLog refusedLog = new RateLimitedLog(log, 60_000);
    private final RateLimitedLog gaveUpLog = new RateLimitedLog(log, 60_000);
    private final Map<String, Waiting> pending = new LinkedHashMap<>();
    /** Per host, the last discovery value Zabbix accepted, and when it was last sent again (nanoTime). */
    private final Map<String, TrapperValue> discoveryOf = new HashMap<>();
    private final Map<String, Long> rediscoveredAt = new HashMap<>();
    private final RateLimitedLog rediscoverLog = new RateLimitedLog(log, 60_000);
    /** How long a host's VM value may stay refused before its discovery is sent again. */
    static final long REDISCOVER_AFTER_NANOS = TimeUnit.SECONDS.toNanos(3);
    private long pendingCount;
    private List<SpoolRecord> backlog = List.of();
    private SpoolPosition catchUpUntil;
    private boolean outage;
    private long transportBackoffMillis = 100;
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private volatile boolean finished;
    private long firstRetryMillis = 1000;

    /** Values of one item that Zabbix refused, waiting for the item to exist. */
    private static final class Waiting {
        final ArrayDeque<SpoolRecord> records = new ArrayDeque<>();
        final ArrayDeque<Long> since = new ArrayDeque<>();
        long nextTry;
        long backoffMillis;
    }

    public Shipper(Spool spool, Trapper trapper, Stats stats, int maxBatch, Duration linger, Duration refusedRetry) {
        this.spool = spool;
        this.reader = spool.reader();
        this.trapper = trapper;
        this.stats = stats;
        this.maxBatch = maxBatch;
        this.lingerNanos = linger.toNanos();
        this.refusedRetryNanos = refusedRetry.toNanos();
    }

    @Override
    public void run() {
        catchUpUntil = spoolEnd(); // values left by an earlier run were spooled too
        try {
            while (!finishedDraining()) {
                try {
                    step();
                    if (outage) {
                        log.info("zabbix reachable again, sending the spooled values");
                        outage = false;
                        catchUpUntil = spoolEnd();
                    }
                    transportBackoffMillis = 100;
                } catch (IOException e) {
                    if (!outage) {
                        log.warn("zabbix unreachable, spooling: {}", e.getMessage());
                        stats.valuesSpooled.add(backlog.size());
                        outage = true;
                    }
                    if (stopping && System.nanoTime() > stopDeadline) break;
                    sleep(transportBackoffMillis);
                    transportBackoffMillis = Math.min(5000, transportBackoffMillis * 2);
                }
                spool.commit(cursor());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("shipper stopped by a bug", e);
        } finally {
            spool.commit(cursor());
            reader.close();
            finished = true;
        }
    }

    /** The durable end when records are waiting (they were spooled), else null. */
    private SpoolPosition spoolEnd() {
        return reader.hasMore() ? reader.durableEnd() : null;
    }

    /**
     * Asks the loop to send what is durable and stop within {@code grace}; values still unsent
     * then (and values waiting for their item) stay in the spool for the next start.
     */
    public void stop(Duration grace) {
        stopDeadline = System.nanoTime() + grace.toNanos();
        stopping = true;
    }

    /** First retry delay for refused values (tests shorten it). */
    void firstRetry(Duration d) {
        firstRetryMillis = d.toMillis();
    }

    /** True once {@link #run} has returned. */
    public boolean finished() {
        return finished;
    }

    private boolean finishedDraining() {
        if (!stopping) return false;
        if (System.nanoTime() > stopDeadline) return true;
        return backlog.isEmpty() && !reader.hasMore() && spool.queued() == 0;
    }

    private void step() throws IOException, InterruptedException {
        long now = System.nanoTime();
        retryDue(now);
        List<SpoolRecord> recs;
        if (!backlog.isEmpty()) {
            recs = backlog;
        } else {
            recs = readBatch();
            if (recs.isEmpty()) return;
            countCatchUp(recs);
        }
        backlog = recs;
        ship(recs);
        backlog = List.of();
    }

    private List<SpoolRecord> readBatch() throws IOException, InterruptedException {
        List<SpoolRecord> recs = new ArrayList<>(reader.read(maxBatch));
        if (recs.isEmpty()) {
            reader.await(waitMillis(), TimeUnit.MILLISECONDS);
            recs.addAll(reader.read(maxBatch));
            if (recs.isEmpty()) return recs;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (recs.size() < maxBatch && lingerNanos > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            reader.await(left, TimeUnit.NANOSECONDS);
            recs.addAll(reader.read(maxBatch - recs.size()));
        }
        return recs;
    }

    private long waitMillis() {
        if (pending.isEmpty()) return 100;
        long next = Long.MAX_VALUE;
        for (Waiting w : pending.values()) next = Math.min(next, w.nextTry);
        return Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
    }

    /** Values that were durable before Zabbix came back (or before start) were spooled. */
    private void countCatchUp(List<SpoolRecord> recs) {
        if (catchUpUntil == null) return;
        for (SpoolRecord r : recs) {
            if (r.position().compareTo(catchUpUntil) < 0) stats.valuesSpooled.increment();
        }
        if (recs.get(recs.size() - 1).next().compareTo(catchUpUntil) >= 0) catchUpUntil = null;
    }

    /** Sends {@code recs} in order; on IOException leaves the unsettled ones in {@link #backlog}. */
    private void ship(List<SpoolRecord> recs) throws IOException {
        List<SpoolRecord> batch = new ArrayList<>(recs.size());
        List<SpoolRecord> unsettled = new ArrayList<>(recs);
        try {
            for (SpoolRecord r : recs) {
                String item = r.value().item();
                Waiting w = pending.get(item);
                if (w != null) {
                    enqueueWaiting(w, r, System.nanoTime());
                    unsettled.remove(r);
                } else if (confirmed.contains(item)) {
                    batch.add(r);
                } else {
                    Trapper.Reply reply = trapper.send(List.of(r.value()));
                    unsettled.remove(r);
                    if (reply.failed() == 0 && reply.processed() > 0) {
                        confirm(item);
                        accepted(r.value());
                        stats.valuesSent.increment();
                    } else {
                        Waiting nw = new Waiting();
                        nw.backoffMillis = firstRetryMillis;
                        long now = System.nanoTime();
                        nw.nextTry = now + TimeUnit.MILLISECONDS.toNanos(nw.backoffMillis);
                        pending.put(item, nw);
                        enqueueWaiting(nw, r, now);
                        refusedLog.info("zabbix refused {} on {} (item not there yet?), retrying for up to {} ms",
                                r.value().key(), r.value().host(), TimeUnit.NANOSECONDS.toMillis(refusedRetryNanos));
                    }
                }
            }
            if (!batch.isEmpty()) sendConfirmed(batch);
            unsettled.clear();
        } finally {
            backlog = unsettled;
        }
    }

    private void sendConfirmed(List<SpoolRecord> batch) throws IOException {
        List<TrapperValue> values = new ArrayList<>(batch.size());
        for (SpoolRecord r : batch) values.add(r.value());
        Trapper.Reply reply = trapper.send(values);
        stats.valuesSent.add(reply.processed());
        if (reply.failed() == 0) for (TrapperValue v : values) accepted(v);
        if (reply.failed() > 0) {
            stats.valuesFailed.add(reply.failed());
            log.warn("zabbix refused {} of {} values for items it had accepted before (deleted or disabled?)", reply.failed(), values.size());
            for (SpoolRecord r : batch) confirmed.remove(r.value().item());
        }
    }

    private void retryDue(long now) throws IOException {
        for (Iterator<Map.Entry<String, Waiting>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Waiting> e = it.next();
            Waiting w = e.getValue();
            if (w.nextTry > now) continue;
            SpoolRecord head = w.records.peekFirst();
            Trapper.Reply reply = trapper.send(List.of(head.value()));
            if (reply.failed() == 0 && reply.processed() > 0) {
                stats.valuesSent.increment();
                removeHead(w);
                confirm(e.getKey());
                accepted(head.value());
                if (!w.records.isEmpty()) sendConfirmed(new ArrayList<>(w.records));
                pendingCount -= w.records.size();
                it.remove();
                log.info("zabbix accepts {} on {} now", head.value().key(), head.value().host());
                continue;
            }
            rediscover(head.value(), now - w.since.peekFirst(), now);
            int gaveUp = 0;
            SpoolRecord gone = null;
            while (!w.records.isEmpty() && now - w.since.peekFirst() > refusedRetryNanos) {
                gone = removeHead(w);
                stats.valuesFailed.increment();
                gaveUp++;
            }
            if (gone != null) {
                gaveUpLog.warn("zabbix kept refusing {} on {}: gave up on {} value(s) (no such item in Zabbix?)",
                        gone.value().key(), gone.value().host(), gaveUp);
            }
            if (w.records.isEmpty()) {
                it.remove();
            } else {
                w.nextTry = now + TimeUnit.MILLISECONDS.toNanos(w.backoffMillis);
                w.backoffMillis = Math.min(10_000, w.backoffMillis * 2);
            }
        }
    }

    private void accepted(TrapperValue v) {
        if (ItemKeys.VM_DISCOVERY.equals(v.key())) discoveryOf.put(v.host(), v);
    }

    /**
     * A VM's value Zabbix keeps refusing although its host's discovery was accepted: the discovery
     * did not create the item (lost in a configuration-cache race, or a server that took over
     * after it was sent). Sends that discovery again, at most every {@link #REDISCOVER_AFTER_NANOS}
     * per host; discovery is idempotent in Zabbix.
     */
    private void rediscover(TrapperValue refused, long refusedFor, long now) throws IOException {
        TrapperValue last = discoveryOf.get(refused.host());
        if (last == null || ItemKeys.VM_DISCOVERY.equals(refused.key()) || refusedFor < REDISCOVER_AFTER_NANOS) return;
        Long at = rediscoveredAt.get(refused.host());
        if (at != null && now - at < REDISCOVER_AFTER_NANOS) return;
        rediscoveredAt.put(refused.host(), now);
        rediscoverLog.info("zabbix still refuses {} on {}: sending its discovery again", refused.key(), refused.host());
        trapper.send(List.of(TrapperValue.at(Instant.now(), last.host(), last.key(), last.value())));
    }

    private void enqueueWaiting(Waiting w, SpoolRecord r, long now) {
        w.records.addLast(r);
        w.since.addLast(now);
        pendingCount++;
        if (pendingCount > MAX_PENDING) {
            Waiting oldest = pending.values().iterator().next();
            removeHead(oldest);
            stats.valuesDropped.increment();
            if (oldest.records.isEmpty()) pending.values().remove(oldest);
        }
    }

    private SpoolRecord removeHead(Waiting w) {
        w.since.pollFirst();
        pendingCount--;
        return w.records.pollFirst();
    }

    private void confirm(String item) {
        if (confirmed.size() >= MAX_CONFIRMED) confirmed.clear();
        confirmed.add(item);
    }

    /** The oldest position not yet settled. */
    private SpoolPosition cursor() {
        SpoolPosition c = reader.position();
        if (!backlog.isEmpty()) c = SpoolPosition.min(c, backlog.get(0).position());
        for (Waiting w : pending.values()) {
            SpoolRecord head = w.records.peekFirst();
            if (head != null) c = SpoolPosition.min(c, head.position());
        }
        return c;
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
