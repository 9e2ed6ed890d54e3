package org.vcrecovery.vcr.standby.libvirt;

import static org.vcrecovery.vcr.standby.StandbyBackends.requireValidTarget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * libvirt domains through libvirt-java, for short-lived use: no event loop (none is needed for
 * plain calls), one connection opened on first use and closed by {@link #close()}.
 *
 * <p>Every libvirt call runs on one daemon thread so a hung daemon costs at most the call's
 * timeout ({@link Code#TIMEOUT}); the call itself is abandoned, not cancelled.
 */
final class LibvirtBackend implements StandbyBackend {
    static final String METADATA_NS = "urn:vcrecovery:standby:1";
    private static final int METADATA_ELEMENT = 2; // VIR_DOMAIN_METADATA_ELEMENT
    private static final Pattern ADDRESS_ATTR = Pattern.compile("\\baddress\\s*=\\s*[\"']([0-9A-Fa-f.:]+)[\"']");
    private static final Duration QUICK = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 10;

    // Held strongly: JNA would otherwise let the native callback be collected.
    private static Libvirt.VirErrorCallback quietErrors;

    private final String name;
    private final String uri;
    private final ExecutorService thread;
    private Connect conn; // only touched on `thread`

    private LibvirtBackend(String name, String uri) {
        this.name = name;
        this.uri = uri;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vcr-libvirt");
            t.setDaemon(true);
            return t;
        });
    }

    /** Declared as returning the interface so the factories' bytecode never names this class's libvirt types. */
    static StandbyBackend create(String name, String uri) {
        return new LibvirtBackend(name, uri);
    }

    static String requireUri(String backend, String uri) {
        if (uri == null || uri.isBlank() || !uri.matches("[a-z][a-z0-9+.-]*://[\\x21-\\x7e]*")) {
            throw new StandbyException(Code.INVALID, backend + ": option uri must look like driver[+transport]://[host]/path, got '"
                    + String.valueOf(uri).replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        return uri;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SUSPEND, Capability.REBOOT);
    }

    @Override
    public StandbyState status(String target) {
        requireValidTarget(name, target);
        return call(QUICK, "status of '" + target + "'", () -> {
            Domain d = lookup(target, false);
            return d == null ? StandbyState.ABSENT : map(d.getInfo().state);
        });
    }

    static StandbyState map(DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> StandbyState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> StandbyState.PAUSED;
            case VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_CRASHED -> StandbyState.STOPPED;
            default -> StandbyState.UNKNOWN; // NOSTATE, SHUTDOWN (in progress)
        };
    }

    @Override
    public void start(String target, Duration timeout) {
        requireValidTarget(name, target);
        transition(target, timeout, "start", StandbyState.RUNNING, (d, s) -> {
            switch (s) {
                case RUNNING -> { }
                case PAUSED -> {
                    if (d.getInfo().state == DomainState.VIR_DOMAIN_PMSUSPENDED) {
                        throw new StandbyException(Code.FAILED, name + ": domain '" + target
                                + "' is suspended by its guest (pmsuspended): wake it from inside or destroy it first");
                    }
                    d.resume();
                }
                default -> d.create();
            }
        });
    }

    @Override
    public void stop(String target, Duration timeout) {
        requireValidTarget(name, target);
        transition(target, timeout, "stop", StandbyState.STOPPED, (d, s) -> {
            if (s != StandbyState.STOPPED) d.destroy();
        });
    }

    @Override
    public void suspend(String target, Duration timeout) {
        requireValidTarget(name, target);
        transition(target, timeout, "suspend", StandbyState.PAUSED, (d, s) -> {
            if (s == StandbyState.RUNNING) {
                d.suspend();
            } else if (s != StandbyState.PAUSED) {
                throw new StandbyException(Code.FAILED, name + ": cannot suspend domain '" + target + "': it is " + s);
            }
        });
    }

    @Override
    public void reboot(String target, Duration timeout) {
        requireValidTarget(name, target);
        transition(target, timeout, "reboot", StandbyState.RUNNING, (d, s) -> {
            if (s != StandbyState.RUNNING) {
                throw new StandbyException(Code.FAILED, name + ": cannot reboot domain '" + target + "': it is " + s);
            }
            d.reboot(0);
        });
    }

    @Override
    public Optional<String> address(String target) {
        requireValidTarget(name, target);
        return call(QUICK, "address of '" + target + "'", () -> {
            Domain d = lookup(target, true);
            try {
                return addressFromMetadata(d.getMetadata(METADATA_ELEMENT, METADATA_NS, 0));
            } catch (LibvirtException e) {
                if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    static Optional<String> addressFromMetadata(String xml) {
        if (xml == null) return Optional.empty();
        Matcher m = ADDRESS_ATTR.matcher(xml);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public List<StandbyInfo> list() {
        return call(QUICK, "list", () -> {
            List<StandbyInfo> infos = new ArrayList<>();
            for (Domain d : connection().listAllDomains(0)) {
                infos.add(new StandbyInfo(d.getName(), map(d.getInfo().state), Optional.empty()));
            }
            return infos;
        });
    }

    @Override
    public void close() {
        Future<?> f = thread.submit(() -> {
            if (conn != null) {
                try {
                    conn.close();
                } catch (LibvirtException ignored) {
                    // Closing on the way out: nothing to do about it.
                }
                conn = null;
            }
        });
        try {
            f.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // A hung close must not hang the caller.
        } finally {
            thread.shutdownNow();
        }
    }

    private interface Action {
        void apply(Domain d, StandbyState current) throws LibvirtException;
    }

    private interface LibvirtCall<T> {
        T call() throws LibvirtException;
    }

    /** Looks the domain up, applies the action, then polls until {@code wanted} or the deadline. */
    private void transition(String target, Duration timeout, String verb, StandbyState wanted, Action action) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        long end = System.nanoTime() + timeout.toNanos();
        call(timeout, verb + " of '" + target + "'", () -> {
            Domain d = lookup(target, true);
            action.apply(d, map(d.getInfo().state));
            StandbyState s;
            while ((s = map(d.getInfo().state)) != wanted) {
                if (System.nanoTime() > end) {
                    throw new StandbyException(Code.TIMEOUT, name + ": domain '" + target + "' is " + s + ", not "
                            + wanted + ", " + timeout.toMillis() + " ms after " + verb);
                }
                Thread.sleep(POLL_MILLIS);
            }
            return null;
        });
    }

    private Domain lookup(String target, boolean required) throws LibvirtException {
        try {
            return connection().domainLookupByName(target);
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                if (!required) return null;
                throw new StandbyException(Code.NOT_FOUND, name + ": no domain '" + target + "' at " + uri);
            }
            throw e;
        }
    }

    private Connect connection() throws LibvirtException {
        if (conn == null) {
            // libvirt prints every error to stderr unless a handler is set; ours become StandbyExceptions.
            synchronized (LibvirtBackend.class) {
                if (quietErrors == null) {
                    quietErrors = (userData, error) -> { };
                    Connect.setErrorCallback(quietErrors);
                }
            }
            conn = new Connect(uri);
        }
        return conn;
    }

    private <T> T call(Duration timeout, String what, Callable<T> body) {
        Future<T> f = thread.submit(body);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new StandbyException(Code.TIMEOUT, name + ": " + what + " at " + uri + " did not finish within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new StandbyException(Code.FAILED, name + ": interrupted during " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof StandbyException se) throw se;
            if (c instanceof LibvirtException le) throw translate(le, what);
            if (c instanceof InterruptedException) throw new StandbyException(Code.FAILED, name + ": interrupted during " + what);
            throw new StandbyException(Code.FAILED, name + ": " + what + " failed: " + c, c);
        }
    }

    private StandbyException translate(LibvirtException e, String what) {
        ErrorNumber n = e.getError() == null ? null : e.getError().getCode();
        Code code = n == null ? Code.FAILED : switch (n) {
            case VIR_ERR_NO_DOMAIN -> Code.NOT_FOUND;
            case VIR_ERR_NO_CONNECT, VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC -> Code.UNREACHABLE;
            case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_AUTH_UNAVAILABLE,
                    VIR_ERR_ACCESS_DENIED, VIR_ERR_OPERATION_DENIED -> Code.REFUSED;
            case VIR_ERR_OPERATION_TIMEOUT -> Code.TIMEOUT;
            default -> Code.FAILED;
        };
        String msg = e.getError() == null ? String.valueOf(e.getMessage()) : e.getError().getMessage();
        return new StandbyException(code, name + ": " + what + " at " + uri + " failed: " + msg, e);
    }
}
