package org.vcrecovery.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link DnsChange}s to a zone with RFC 2136 dynamic updates, optionally TSIG-signed,
 * and checks the result by asking the authoritative server directly.
 *
 * <p>{@link #update} sends one atomic UPDATE (prerequisites, delete, add) to the configured
 * server or, when none was given, to the zone's primary (SOA MNAME), over UDP with TCP fallback
 * on truncation; only timeouts are retried. It never throws for what happens on the wire: every
 * failure, including no reply, is an {@link UpdateResult} with a specific {@link Outcome}. Wrong
 * input throws {@link IllegalArgumentException} before anything is sent (see {@link DnsChange}).
 * When a key is set, only a reply whose TSIG verifies is believed: any other reply is ignored
 * (see {@code Transport}), so a forged unsigned "NXRRSET" can never make a conflict (nothing
 * changed) out of an update that did apply. When no signed reply came but unsigned ones did,
 * {@link #update} settles it with a signed query: APPLIED when the record now holds the change,
 * else {@link Outcome#UNVERIFIED} saying what the record holds or that it could not be read.
 *
 * <p>Instances are immutable and thread-safe; each call uses its own socket.
 *
 * <p>(Over 300 lines on purpose: update, query, verify and the settling of an unanswered update
 * share the transport, the key and the rules for believing a reply; split by operation, each part
 * would carry those around.)
 */
public final class DnsUpdater {
    private static final Logger log = LoggerFactory.getLogger(DnsUpdater.class);

    private final InetSocketAddress server;
    private final TsigKey key;
    private final TSIG tsig;
    private final Duration timeout;
    private final int retries;
    private final Transport transport;
    private final PrimaryLocator locator;

    private DnsUpdater(Builder b) {
        this.server = b.server;
        this.key = b.key;
        this.tsig = b.key == null ? null : b.key.toTsig();
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.transport = new Transport(timeout, retries);
        this.locator = new PrimaryLocator(transport);
    }

    /**
     * Starts initialising, on a daemon thread, what the first exchange needs in a cold JVM (tens
     * of ms): dnsjava's type and record tables, its SecureRandom, its TSIG, building, signing,
     * parsing and verifying a message (with a throwaway key), and the JDK's datagram sockets. A
     * short-lived process overlaps it with reading its input and key, and a later first exchange
     * finds it done. Nothing is sent (a socket is opened on an ephemeral port and closed).
     * Optional; runs once per JVM (later calls return at once); never fails.
     */
    public static void preload() {
        if (!Warmup.STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(new Warmup(), "dns-preload");
        t.setDaemon(true);
        t.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code change} as one UPDATE and classifies the reply. On CONFLICT the message says
     * what the record holds now. If a timed-out attempt was retried and the retry conflicts
     * because the first attempt did apply (its reply was lost), the result is APPLIED.
     */
    public UpdateResult update(DnsChange change) {
        Objects.requireNonNull(change, "change == null");
        long t0 = System.nanoTime();
        Update request = UpdateMessages.build(change);
        InetSocketAddress target;
        Transport.Exchange x;
        try {
            target = serverFor(change.zoneName());
        } catch (DnsException e) {
            return new UpdateResult(change, e.outcome(), e.getMessage(), 1, false, since(t0));
        }
        try {
            x = transport.exchange(target, request, tsig);
        } catch (DnsException e) {
            log.debug("update of {} failed: {}", change.name(), e.getMessage());
            int attempts = e.outcome() == Outcome.TIMEOUT || e.outcome() == Outcome.UNVERIFIED ? retries + 1 : 1;
            if (e.outcome() == Outcome.UNVERIFIED) return settle(change, target, e.getMessage(), attempts, t0);
            return new UpdateResult(change, e.outcome(), e.getMessage(), attempts, false, since(t0));
        }
        Message reply = x.response();
        Outcome outcome = Outcome.classify(reply.getRcode(), x.tsigError());
        String message = describe(outcome, change, target, reply, x);
        if (outcome == Outcome.CONFLICT && x.attempts() > 1 && appliedByEarlierAttempt(change, target)) {
            outcome = Outcome.APPLIED;
            message = "applied (by an earlier attempt whose reply was lost)";
        }
        if (log.isDebugEnabled()) { // describe() builds a string: not for a log line nobody reads
            log.debug("update {} -> {} in {} attempt(s){}", change.describe(), outcome, x.attempts(), x.tcp() ? " over TCP" : "");
        }
        return new UpdateResult(change, outcome, message, x.attempts(), x.tcp(), since(t0));
    }

    /**
     * The values the authoritative server holds for {@code name} and {@code type} (the change's
     * canonical text form); empty when the name or RRset does not exist. A name without a
     * trailing dot is taken as absolute. Throws {@link DnsException} when there is no usable
     * answer (timeout, unreachable, refused, a reply that fails TSIG verification).
     */
    public List<String> query(String name, RecordType type) throws DnsException {
        Objects.requireNonNull(type, "type == null");
        Name n;
        try {
            n = Name.fromString(Objects.requireNonNull(name, "name == null").trim(), Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("name: " + name + " is not a domain name");
        }
        return query(n, type, serverFor(n), timeout);
    }

    /**
     * Like {@link #query(String, RecordType)}, with {@code name} read as in {@link DnsChange}:
     * relative to {@code zone} unless it has a trailing dot or already ends with the zone; it must
     * lie inside the zone (otherwise {@link IllegalArgumentException} naming the field).
     */
    public List<String> query(String zone, String name, RecordType type) throws DnsException {
        Objects.requireNonNull(type, "type == null");
        Name z = DnsNames.zone(zone);
        Name n = DnsNames.absolute("name", name, z);
        if (!n.subdomain(z)) throw new IllegalArgumentException("name: " + n + " is outside the zone " + z);
        return query(n, type, serverFor(n), timeout);
    }

    /**
     * Asks the authoritative server for the change's name until it answers exactly the change's
     * values or {@code deadline} has passed (at least one query is made). Query errors before the
     * deadline are retried; the last one is in the result's message.
     */
    public VerifyResult verify(DnsChange change, Duration deadline) {
        Objects.requireNonNull(change, "change == null");
        Objects.requireNonNull(deadline, "deadline == null");
        long t0 = System.nanoTime();
        long end = t0 + deadline.toNanos();
        Name owner = change.ownerName();
        List<String> last = List.of();
        String error = null;
        boolean answered = false;
        int queries = 0;
        long pauseMs = 10;
        while (true) {
            queries++;
            long left = end - System.nanoTime();
            Duration attempt = left > 0 && left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
            try {
                last = query(owner, change.type(), serverFor(change.zoneName()), attempt);
                answered = true;
                if (change.matches(last)) return new VerifyResult(true, last, queries, since(t0), "verified");
            } catch (DnsException e) {
                error = e.getMessage();
            }
            left = end - System.nanoTime();
            if (left <= 0) break;
            try {
                Thread.sleep(Math.min(pauseMs, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pauseMs = Math.min(pauseMs * 2, 200);
        }
        Duration took = since(t0);
        // what the server last said beats a query cut short by the deadline
        String why = !answered ? "no answer: " + error
                : "the server still answers " + (last.isEmpty() ? "nothing" : String.join(", ", last))
                        + " instead of " + String.join(", ", change.values());
        return new VerifyResult(false, last, queries, took, "not verified after " + took.toMillis() + " ms ("
                + queries + " queries): " + why);
    }

    /**
     * The UPDATE for {@code change} as {@code nsupdate} input, without sending anything or looking
     * anything up; the key is shown by name only.
     */
    public String preview(DnsChange change) {
        Objects.requireNonNull(change, "change == null");
        String serverLine = server == null ? "# server: the primary (SOA MNAME) of " + change.zone()
                : "server " + server.getAddress().getHostAddress() + " " + server.getPort();
        String text = UpdateMessages.render(UpdateMessages.build(change), serverLine);
        return key == null ? text : "# key " + key + "\n" + text;
    }

    /** The configured server, or null when the zone's primary is looked up. */
    public InetSocketAddress server() {
        return server;
    }

    /** The key, or null for unsigned updates. */
    public TsigKey key() {
        return key;
    }

    private List<String> query(Name name, RecordType type, InetSocketAddress target, Duration attemptTimeout)
            throws DnsException {
        Message q = UpdateMessages.query(name, type.wireType());
        Transport.Exchange x = transport.exchange(target, q, tsig, attemptTimeout);
        Message reply = x.response();
        int rcode = reply.getRcode(); // under a key, Transport passed only a verified reply
        if (rcode == Rcode.NXDOMAIN) return List.of();
        if (rcode != Rcode.NOERROR) {
            Outcome o = Outcome.classify(rcode, x.tsigError());
            throw new DnsException(o, "query for " + name + " " + type + " answered " + Rcode.string(rcode)
                    + " by " + hostPort(target) + ": " + o.description());
        }
        List<String> values = new ArrayList<>();
        for (Record r : reply.getSection(Section.ANSWER)) {
            if (r.getType() == type.wireType() && r.getName().equals(name)) values.add(UpdateMessages.valueOf(r));
        }
        return values;
    }

    /**
     * After only unsigned replies: the update may have applied (a forger answered first and the
     * real reply was lost) or not. A signed query tells which, when the server answers it.
     */
    private UpdateResult settle(DnsChange change, InetSocketAddress target, String why, int attempts, long t0) {
        String now;
        try {
            List<String> values = query(change.ownerName(), change.type(), target, timeout);
            if (change.matches(values)) {
                return new UpdateResult(change, Outcome.APPLIED, "applied (a signed query shows it; " + why + ")",
                        attempts, false, since(t0));
            }
            now = "not applied: a signed query shows " + change.ownerName() + " " + change.type() + " "
                    + (values.isEmpty() ? "absent" : String.join(", ", values));
        } catch (DnsException e) {
            now = "the change may or may not have happened (a signed query failed too: "
                    + (e.outcome() == Outcome.UNVERIFIED ? "no signed reply either" : e.getMessage())
                    + "); query the record before retrying";
        }
        return new UpdateResult(change, Outcome.UNVERIFIED, why + "; " + now, attempts, false, since(t0));
    }

    private InetSocketAddress serverFor(Name name) throws DnsException {
        return server != null ? server : locator.primaryFor(name);
    }

    private String describe(Outcome outcome, DnsChange change, InetSocketAddress target, Message reply,
                            Transport.Exchange x) {
        String rcode = Rcode.string(reply.getRcode()) + (x.tsigError() != 0 ? "/" + Rcode.TSIGstring(x.tsigError()) : "");
        return switch (outcome) {
            case APPLIED -> "applied";
            case CONFLICT -> conflict(change, target) + " (" + rcode + ")";
            case BADTIME -> Explain.badTime(x.tsig(), hostPort(target), Instant.now());
            default -> rcode + " from " + hostPort(target) + ": " + outcome.description()
                    + (outcome.isAuthFailure() && key != null ? " (key " + key.name() + ", " + key.algorithm().bindName() + ")" : "");
        };
    }

    private String conflict(DnsChange change, InetSocketAddress target) {
        try {
            return Explain.conflict(change, query(change.ownerName(), change.type(), target, timeout));
        } catch (DnsException e) {
            return Outcome.CONFLICT.description();
        }
    }

    private boolean appliedByEarlierAttempt(DnsChange change, InetSocketAddress target) {
        try {
            return change.matches(query(change.ownerName(), change.type(), target, timeout));
        } catch (DnsException e) {
            return false;
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static String hostPort(InetSocketAddress a) {
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    /**
     * Configuration: server (default: the zone's SOA MNAME on port 53), key (default: unsigned),
     * per-attempt timeout (default 1 s, 1 ms..60 s) and retries after a timeout (default 2, 0..10).
     */
    public static final class Builder {
        private InetSocketAddress server;
        private TsigKey key;
        private Duration timeout = Duration.ofSeconds(1);
        private int retries = 2;

        private Builder() {}

        /** A resolved address (no lookups happen later); null means the zone's primary. */
        public Builder server(InetSocketAddress server) {
            if (server != null && server.isUnresolved()) {
                throw new IllegalArgumentException("server: " + server.getHostString() + " is not resolved");
            }
            this.server = server;
            return this;
        }

        public Builder tsigKey(TsigKey key) {
            this.key = key;
            return this;
        }

        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout == null");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("timeout: " + timeout.toMillis() + " ms is outside 1..60000 ms");
            }
            this.timeout = timeout;
            return this;
        }

        public Builder retries(int retries) {
            if (retries < 0 || retries > 10) throw new IllegalArgumentException("retries: " + retries + " is outside 0..10");
            this.retries = retries;
            return this;
        }

        public DnsUpdater build() {
            return new DnsUpdater(this);
        }
    }
}
