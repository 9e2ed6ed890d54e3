package org.vcrecovery.vcr.rebalance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.RecordType;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.check.Protocol;
import org.vcrecovery.vcr.recover.DnsPort;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/** Port-level doubles for the rebalance tests: runbooks built in code, a DNS record, a container backend, Zabbix. */
final class RebalanceFakes {
    private RebalanceFakes() {}

    static Runbook.Standby standby(String name, String host, String address) {
        return new Runbook.Standby(name, Runbook.StandbyKind.COLD_CONTAINER, "fake", Map.of(), name, address, 0, host);
    }

    /** Service {@code service} with a TCP check on {@code port}, record TTL 1 s, and {@code standbys}. */
    static Runbook runbook(String service, int port, Runbook.Standby... standbys) {
        return new Runbook(service, service + "-vm", new Runbook.Primary(null, null, null, "127.0.0.1"), List.of(standbys),
                List.of(new Runbook.Check(Protocol.TCP, port, Duration.ofMillis(300))),
                new Runbook.Dns("127.0.0.1", 53, "example.test", service, "A", 1, null),
                new Runbook.Fencing(Runbook.FencingMode.VERIFY_DEAD, false), List.of(),
                new Runbook.Limits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(400), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), Duration.ofSeconds(10), 0, null), (Path) null);
    }

    /** One record per service: what it holds, every swap asked. */
    static class Dns implements DnsPort {
        final Runbook.Dns spec;
        volatile List<String> values;
        final List<String> swaps = Collections.synchronizedList(new ArrayList<>());

        Dns(Runbook.Dns spec, String value) {
            this.spec = spec;
            this.values = List.of(value);
        }

        @Override
        public List<String> current() {
            return values;
        }

        @Override
        public synchronized UpdateResult swap(List<String> from, String to) {
            DnsChange c = DnsChange.of(spec.zone(), spec.fqdn(), RecordType.A, spec.ttl(), to).expecting(from.toArray(String[]::new));
            swaps.add(from + "->" + to);
            if (!Set.copyOf(values).equals(Set.copyOf(from))) return new UpdateResult(c, Outcome.CONFLICT, "holds " + values, 1, false, Duration.ZERO);
            values = List.of(to);
            return new UpdateResult(c, Outcome.APPLIED, "applied", 1, false, Duration.ZERO);
        }

        @Override
        public VerifyResult verify(DnsChange change, Duration within) {
            boolean ok = Set.copyOf(values).equals(Set.copyOf(change.values()));
            return new VerifyResult(ok, values, 1, Duration.ZERO, ok ? "verified" : "still " + values);
        }
    }

    /**
     * Containers by name: state, and a TCP listener on the container's address while it runs
     * ({@link #serve}), so the real ServiceChecker sees it come and go. Records every call.
     */
    static final class Backend implements StandbyBackend {
        String factoryName = "fake";
        final Map<String, StandbyState> state = Collections.synchronizedMap(new HashMap<>());
        final Map<String, InetSocketAddress> serves = new HashMap<>();
        private final Map<String, ServerSocket> listening = new HashMap<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        /** Containers that start but whose service never answers. */
        final Set<String> broken = Collections.synchronizedSet(new java.util.HashSet<>());

        void serve(String name, String address, int port, StandbyState s) throws IOException {
            serves.put(name, new InetSocketAddress(InetAddress.getByName(address), port));
            state.put(name, s);
            if (s == StandbyState.RUNNING) listen(name);
        }

        private synchronized void listen(String name) throws IOException {
            if (broken.contains(name) || listening.containsKey(name)) return;
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(serves.get(name));
            Thread t = new Thread(() -> {
                while (!ss.isClosed()) {
                    try (Socket s = ss.accept()) {
                        s.getOutputStream().write("hi\r\n".getBytes());
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            listening.put(name, ss);
        }

        private synchronized void unlisten(String name) throws IOException {
            ServerSocket ss = listening.remove(name);
            if (ss != null) ss.close();
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public StandbyState status(String target) {
            return state.getOrDefault(target, StandbyState.ABSENT);
        }

        @Override
        public void start(String target, Duration timeout) {
            calls.add("start " + target);
            state.put(target, StandbyState.RUNNING);
            try {
                listen(target);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void stop(String target, Duration timeout) {
            calls.add("stop " + target);
            state.put(target, StandbyState.STOPPED);
            try {
                unlisten(target);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Optional<String> address(String target) {
            return Optional.empty();
        }

        @Override
        public List<StandbyInfo> list() {
            return List.of();
        }

        @Override
        public void close() {}

        void closeAll() throws IOException {
            for (String n : List.copyOf(listening.keySet())) unlisten(n);
        }

        StandbyBackendFactory factory() {
            Backend b = this;
            return new StandbyBackendFactory() {
                @Override
                public String name() {
                    return b.factoryName;
                }

                @Override
                public StandbyBackend create(Map<String, String> config) {
                    return b;
                }

                @Override
                public Set<String> configKeys() {
                    return Set.of();
                }

                @Override
                public Set<Guest> guests() {
                    return Set.of(Guest.CONTAINER);
                }
            };
        }
    }

    /** Zabbix as rebalance asks it: CPU averages by host, open problems by host, the kill switch macro, acks. */
    static final class Zabbix implements RebalanceZabbix {
        final Map<String, Double> cpu = new HashMap<>();
        final Map<String, String> problems = new HashMap<>();
        String autoMacro;
        final List<String> acks = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Map<String, Double> cpu(Collection<String> hosts) {
            Map<String, Double> out = new HashMap<>(cpu);
            out.keySet().retainAll(hosts);
            return out;
        }

        @Override
        public Optional<String> openProblem(String host) {
            return Optional.ofNullable(problems.get(host));
        }

        @Override
        public String globalMacro(String name) {
            return autoMacro;
        }

        @Override
        public void acknowledge(String eventId, String message) {
            acks.add(eventId + ": " + message);
        }

        @Override
        public void close() {}
    }
}
