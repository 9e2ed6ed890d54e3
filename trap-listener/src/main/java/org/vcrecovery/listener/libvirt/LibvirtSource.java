package org.vcrecovery.listener.libvirt;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.event.ConnectionCloseListener;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vcrecovery.listener.Pipeline;
import org.vcrecovery.listener.Stats;
import org.vcrecovery.listener.VmState;
import org.vcrecovery.listener.VmStateChange;

/**
 * One long-lived, read-only libvirt connection: lifecycle events as they happen, plus a poll
 * every {@code pollInterval} (the full domain list → discovery, each domain's state and CPU %).
 *
 * <p>Threads: libvirt calls the listeners on its event-loop thread; they only read the domain's
 * name and UUID and hand over to this source's own single thread, which does every other
 * libvirt call, so a slow daemon never stalls the event loop.
 *
 * <p>Failures: when the connection closes (libvirt's close callback, keepalive timeout, or an
 * error in a poll) it is reopened with exponential back-off (1 s doubling to
 * {@code reconnectMax}) and a poll runs at once (full resync: events missed while away are
 * caught by the state values). Never throws out of its thread; logs one line per connect,
 * disconnect and failed reconnect.
 */
public final class LibvirtSource implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(LibvirtSource.class);

    private final String uri;
    private final Pipeline pipeline;
    private final Stats stats;
    private final Duration pollInterval;
    private final Duration reconnectMax;
    private final ScheduledExecutorService exec;
    private final CpuMeter cpu = new CpuMeter();
    private final ConnectionCloseListener closeListener;
    private final LifecycleListener lifecycle;
    private Connect conn;
    private long backoffMillis = 1000;
    private ScheduledFuture<?> pollTask;
    private volatile boolean closed;
    private volatile boolean connected;

    public LibvirtSource(String uri, Pipeline pipeline, Stats stats, Duration pollInterval, Duration reconnectMax) {
        this.uri = uri;
        this.pipeline = pipeline;
        this.stats = stats;
        this.pollInterval = pollInterval;
        this.reconnectMax = reconnectMax;
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "libvirt " + uri);
            t.setDaemon(true);
            return t;
        });
        this.closeListener = (c, reason) -> {
            if (!closed) this.exec.execute(() -> lost("closed by libvirt (" + reason + ")"));
        };

        this.lifecycle = (domain, event) -> {
            try {
                String name = domain.getName();
                String uuid = domain.getUUIDString();
                Instant at = Instant.now();
                this.exec.execute(() -> onEvent(name, uuid, event, at));
            } catch (LibvirtException | RuntimeException e) {
                log.warn("libvirt: unreadable event from {}: {}", this.uri, oneLine(e));
            }
            return 0;
        };
    }

    /** Starts connecting in the background (failures are retried, not thrown). */
    public void start() {
        exec.execute(this::connect);
    }

    /** True while the connection is open. */
    public boolean connected() {
        return connected;
    }

    private void connect() {
        if (closed) return;
        try {
            EventLoop.ensureStarted();
            Connect c = new Connect(uri, true);
            conn = c;
            try {
                c.setKeepAlive(5, 3);
            } catch (LibvirtException e) {
                // Local drivers (test:///default, qemu:///system via the embedded driver) have no keepalive.
            }
            c.registerCloseListener(closeListener);
            c.addLifecycleListener(lifecycle);
            connected = true;
            stats.libvirtConnects.increment();
            backoffMillis = 1000;
            log.info("libvirt: connected to {}", uri);
            poll();
            pollTask = exec.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (LibvirtException | RuntimeException | LinkageError e) {
            log.warn("libvirt: cannot connect to {}: {} (retrying in {} ms)", uri, oneLine(e), backoffMillis);
            dropConnection();
            scheduleReconnect();
        }
    }

    private void onEvent(String name, String uuid, org.libvirt.event.DomainEvent event, Instant at) {
        stats.libvirtEvents.increment();
        stats.eventSeen();
        VmState state = Lifecycle.stateAfter(event.getType());
        String text = Lifecycle.text(event);
        log.info("libvirt: {} {} on {}", name, text, uri);
        try {
            if (state != null) {
                pipeline.stateChange(new VmStateChange(uri, name, uuid, state, text, at), true);
            } else {
                poll(); // defined/undefined: the domain list changed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        if (conn == null || closed) return;
        long wall = System.nanoTime();
        Instant at = Instant.now();
        Map<String, String> inventory = new HashMap<>();
        Map<String, DomainSample> samples = new HashMap<>();
        try {
            Domain[] domains = conn.listAllDomains(0);
            for (Domain d : domains) {
                try {
                    String name = d.getName();
                    DomainInfo info = d.getInfo();
                    inventory.put(name, d.getUUIDString());
                    samples.put(name, new DomainSample(info.state == null ? VmState.NOSTATE : VmState.values()[info.state.ordinal()],
                            info.cpuTime, info.nrVirtCpu));
                } catch (LibvirtException e) {
                    // The domain went away between the list and the lookup: the next poll settles it.
                } finally {
                    d.free();
                }
            }
        } catch (LibvirtException | RuntimeException e) {
            lost("poll failed: " + oneLine(e));
            return;
        }
        try {
            pipeline.inventory(uri, inventory, at);
            for (Map.Entry<String, DomainSample> e : samples.entrySet()) {
                DomainSample s = e.getValue();
                boolean active = s.state() == VmState.RUNNING || s.state() == VmState.BLOCKED;
                double p;
                if (active) {
                    p = cpu.percent(e.getKey(), s.cpuNanos(), s.vcpus(), wall);
                } else {
                    cpu.forget(e.getKey()); // start a fresh delta when it runs again
                    p = 0.0;
                }
                pipeline.sample(uri, e.getKey(), s.state(), p, at);
            }
            cpu.retain(samples.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record DomainSample(VmState state, long cpuNanos, int vcpus) {
    }

    private void lost(String why) {
        if (closed || conn == null) return;
        log.warn("libvirt: lost {}: {}; reconnecting", uri, why);
        dropConnection();
        scheduleReconnect();
    }

    private void dropConnection() {
        connected = false;
        if (pollTask != null) pollTask.cancel(false);
        pollTask = null;
        Connect c = conn;
        conn = null;
        if (c != null) {
            try {
                c.removeLifecycleListener(lifecycle);
            } catch (LibvirtException | RuntimeException ignored) {
                // the connection is already gone
            }
            try {
                c.unregisterCloseListener();
            } catch (LibvirtException | RuntimeException ignored) {
                // idem
            }
            try {
                c.close();
            } catch (LibvirtException | RuntimeException ignored) {
                // idem
            }
        }
    }

    private void scheduleReconnect() {
        if (closed) return;
        exec.schedule(this::connect, backoffMillis, TimeUnit.MILLISECONDS);
        backoffMillis = Math.min(reconnectMax.toMillis(), backoffMillis * 2);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Closes the connection and stops the thread (waiting up to 5 s for a running poll). */
    @Override
    public void close() {
        closed = true;
        exec.execute(this::dropConnection);
        exec.shutdown();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("libvirt: disconnected from {}", uri);
    }
}
