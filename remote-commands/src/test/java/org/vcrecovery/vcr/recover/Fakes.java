package org.vcrecovery.vcr.recover;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.vcrecovery.dns.DnsChange;
import org.vcrecovery.dns.Outcome;
import org.vcrecovery.dns.UpdateResult;
import org.vcrecovery.dns.VerifyResult;
import org.vcrecovery.vcr.runbook.Runbook;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/** Hand-written doubles for the ports of a recovery; each records what was done to it. */
final class Fakes {
    private Fakes() {}

    /** A Zabbix API: a maintenance answer (or failure), recorded acknowledgements and scripts. */
    static final class Zabbix implements ZabbixPort {
        boolean maintenance;
        boolean resolved;
        IOException maintenanceFailure;
        IOException ackFailure;
        final List<String> acks = Collections.synchronizedList(new ArrayList<>());
        final List<String> scripts = Collections.synchronizedList(new ArrayList<>());
        Runnable onScript = () -> {};
        /** The global macro {$VCR.AUTO}'s value (null: not defined), or a failure to ask. */
        volatile String autoMacro;
        volatile IOException macroFailure;

        @Override
        public boolean inMaintenance(String host, String eventId) throws IOException {
            if (maintenanceFailure != null) throw maintenanceFailure;
            return maintenance;
        }

        @Override
        public boolean problemResolved(String eventId) {
            return resolved;
        }

        @Override
        public void acknowledge(String eventId, String message, boolean acknowledge) throws IOException {
            if (ackFailure != null) throw ackFailure;
            acks.add(eventId + (acknowledge ? " ack " : " msg ") + message);
        }

        @Override
        public String runScript(String script, String host) {
            scripts.add(script + "@" + host);
            onScript.run();
            return "ok";
        }

        @Override
        public String globalMacro(String name) throws IOException {
            if (macroFailure != null) throw macroFailure;
            return name.equals("{$VCR.AUTO}") ? autoMacro : null;
        }

        @Override
        public void close() {}
    }

    /** One DNS record with compare-and-swap semantics. */
    static final class Dns implements DnsPort {
        final Runbook.Dns spec;
        volatile List<String> values;
        IOException readFailure;
        UpdateResult unanswered; // when set: what every swap returns (the update's fate unknown)
        final List<String> updates = Collections.synchronizedList(new ArrayList<>());
        /** Runs after each swap that applied (the record changed). */
        volatile Runnable afterSwap = () -> {};

        Dns(Runbook.Dns spec, String... values) {
            this.spec = spec;
            this.values = List.of(values);
        }

        @Override
        public List<String> current() throws IOException {
            if (readFailure != null) throw readFailure;
            return values;
        }

        @Override
        public synchronized UpdateResult swap(List<String> from, String to) {
            DnsChange c = DnsStages.change(spec, from, to);
            updates.add(from + "->" + to);
            if (unanswered != null) return unanswered;
            if (!Set.copyOf(values).equals(Set.copyOf(from))) {
                return new UpdateResult(c, Outcome.CONFLICT, "holds " + values, 1, false, Duration.ZERO);
            }
            values = List.of(to);
            afterSwap.run();
            return new UpdateResult(c, Outcome.APPLIED, "applied", 1, false, Duration.ZERO);
        }

        @Override
        public VerifyResult verify(DnsChange change, Duration within) {
            boolean ok = Set.copyOf(values).equals(Set.copyOf(change.values()));
            return new VerifyResult(ok, values, 1, Duration.ZERO, ok ? "verified" : "still " + values);
        }
    }

    /** Backend targets in memory; a target's "service" is whatever the test wires to its state. */
    static final class Backend implements StandbyBackend {
        final String name;
        final Map<String, StandbyState> states = Collections.synchronizedMap(new HashMap<>());
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        StandbyException failure;
        /** Thrown by stop and suspend only (the state still reads). */
        StandbyException stopFailure;
        Map<String, Runnable> onStart = new HashMap<>();
        /** Runs first in every call that acts on a target (status, start, stop, suspend, reboot), with that target. */
        volatile Consumer<String> before = target -> {};

        Backend(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public StandbyState status(String target) {
            before.accept(target);
            if (failure != null) throw failure;
            calls.add("status " + target);
            return states.getOrDefault(target, StandbyState.ABSENT);
        }

        private void require(String target) {
            before.accept(target);
            if (failure != null) throw failure;
            if (!states.containsKey(target)) throw new StandbyException(StandbyException.Code.NOT_FOUND, name + ": no " + target);
        }

        @Override
        public void start(String target, Duration timeout) {
            require(target);
            calls.add("start " + target);
            states.put(target, StandbyState.RUNNING);
            onStart.getOrDefault(target, () -> {}).run();
        }

        @Override
        public void stop(String target, Duration timeout) {
            require(target);
            if (stopFailure != null) throw stopFailure;
            calls.add("stop " + target);
            states.put(target, StandbyState.STOPPED);
        }

        @Override
        public void suspend(String target, Duration timeout) {
            require(target);
            if (stopFailure != null) throw stopFailure;
            calls.add("suspend " + target);
            states.put(target, StandbyState.PAUSED);
        }

        @Override
        public void reboot(String target, Duration timeout) {
            require(target);
            calls.add("reboot " + target);
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
    }

    /** A factory that hands out {@code b} itself, under its name. */
    static StandbyBackendFactory factory(StandbyBackend b) {
        return new StandbyBackendFactory() {
            @Override
            public String name() {
                return b.name();
            }

            @Override
            public StandbyBackend create(Map<String, String> config) {
                return b;
            }

            @Override
            public Set<String> configKeys() {
                return Set.of("uri", "lxcpath");
            }

            @Override
            public Set<Guest> guests() {
                return Set.of(Guest.CONTAINER, Guest.VM);
            }
        };
    }
}
