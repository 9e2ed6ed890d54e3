package org.vcrecovery.listener.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, registered once per process before any connection is opened
 * and run on one daemon thread: it delivers domain events and keeps keepalive going. Without
 * it, connections are dropped by keepalive and no event ever arrives.
 */
final class EventLoop {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static boolean started;
    /** Held for the process's life: libvirt calls it through JNA, a collected callback would crash the JVM. */
    private static final org.libvirt.ErrorCallback QUIET = new org.libvirt.ErrorCallback();

    private EventLoop() {
    }

    /** Registers and starts the loop if not yet done; throws when libvirt cannot be loaded. */
    static synchronized void ensureStarted() throws LibvirtException {
        if (started) return;
        // libvirt prints every error to stderr by default; ours are logged once, as one line each.
        org.libvirt.Connect.setErrorCallback(QUIET);
        Library.initEventLoop();
        Thread t = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException e) {
                log.error("libvirt event loop stopped: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "libvirt-event-loop");
        t.setDaemon(true);
        t.start();
        started = true;
    }
}
