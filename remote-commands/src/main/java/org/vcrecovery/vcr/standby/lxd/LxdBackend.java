package org.vcrecovery.vcr.standby.lxd;

import static org.vcrecovery.vcr.standby.StandbyBackends.requireValidTarget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyException;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyInfo;
import org.vcrecovery.vcr.standby.StandbyState;

/**
 * LXD instances through the REST API: state changes are {@code PUT /1.0/instances/NAME/state}
 * with {@code start|stop|freeze|unfreeze|restart}, whose async operation is awaited with
 * {@code GET /1.0/operations/ID/wait?timeout=N}.
 *
 * <p>Address: the instance's {@code user.vcr.address} config key first, then the first global
 * IPv4 address, in its state, of one of the instance's own NICs ({@code expanded_devices} of type
 * {@code nic}, by their {@code name} or device key). An instance without a NIC shares another
 * network namespace (the host's, as in the sandbox), and LXD's state then lists that namespace's
 * interfaces, e.g. the host's {@code eth0}: not the service's address, so none is reported. LXD error answers
 * ({@code {"type":"error","error_code":404,...}}) map to NOT_FOUND (404), REFUSED (401, 403),
 * FAILED (others); an unreachable daemon is UNREACHABLE, a slow one TIMEOUT.
 */
final class LxdBackend implements StandbyBackend {
    static final String ADDRESS_KEY = "user.vcr.address";
    private static final Duration QUICK = Duration.ofSeconds(10);

    private final LxdTransport http;
    private final String project;
    private final ObjectMapper json = new ObjectMapper();

    LxdBackend(LxdTransport http, String project) {
        this.http = http;
        this.project = project;
    }

    @Override
    public String name() {
        return LxdBackendFactory.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.SUSPEND, Capability.REBOOT);
    }

    @Override
    public StandbyState status(String target) {
        requireValidTarget(name(), target);
        JsonNode meta = get("/1.0/instances/" + target, QUICK, target, true);
        return meta == null ? StandbyState.ABSENT : map(meta.path("status").asText());
    }

    static StandbyState map(String status) {
        return switch (status) {
            case "Running" -> StandbyState.RUNNING;
            case "Frozen" -> StandbyState.PAUSED;
            case "Stopped" -> StandbyState.STOPPED;
            default -> StandbyState.UNKNOWN; // Starting, Stopping, Freezing, Thawed, Error, ...
        };
    }

    @Override
    public void start(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        switch (present(target, d)) {
            case RUNNING -> { }
            case PAUSED -> change(target, "unfreeze", false, d);
            default -> change(target, "start", false, d);
        }
    }

    @Override
    public void stop(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        if (present(target, d) != StandbyState.STOPPED) change(target, "stop", true, d);
    }

    @Override
    public void suspend(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        StandbyState s = present(target, d);
        if (s == StandbyState.PAUSED) return;
        if (s != StandbyState.RUNNING) throw new StandbyException(Code.FAILED, "lxd: cannot suspend instance '" + target + "': it is " + s);
        change(target, "freeze", false, d);
    }

    @Override
    public void reboot(String target, Duration timeout) {
        requireValidTarget(name(), target);
        Deadline d = new Deadline(timeout);
        StandbyState s = present(target, d);
        if (s != StandbyState.RUNNING) throw new StandbyException(Code.FAILED, "lxd: cannot reboot instance '" + target + "': it is " + s);
        change(target, "restart", true, d);
    }

    @Override
    public Optional<String> address(String target) {
        requireValidTarget(name(), target);
        JsonNode meta = get("/1.0/instances/" + target, QUICK, target, false);
        String configured = meta.path("config").path(ADDRESS_KEY).asText("");
        if (!configured.isEmpty()) return Optional.of(configured);
        Set<String> nics = nicNames(meta.path("expanded_devices"));
        if (nics.isEmpty()) return Optional.empty();
        JsonNode state = get("/1.0/instances/" + target + "/state", QUICK, target, false);
        return addressFromState(state, nics);
    }

    /** The interface names of the instance's NIC devices (a device's {@code name}, else its key). */
    static Set<String> nicNames(JsonNode devices) {
        Set<String> names = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> all = devices.fields();
        while (all.hasNext()) {
            Map.Entry<String, JsonNode> d = all.next();
            if (d.getValue().path("type").asText().equals("nic")) names.add(d.getValue().path("name").asText(d.getKey()));
        }
        return names;
    }

    static Optional<String> addressFromState(JsonNode state, Set<String> nics) {
        Iterator<Map.Entry<String, JsonNode>> nets = state.path("network").fields();
        while (nets.hasNext()) {
            Map.Entry<String, JsonNode> net = nets.next();
            if (!nics.contains(net.getKey())) continue;
            for (JsonNode a : net.getValue().path("addresses")) {
                if (a.path("family").asText().equals("inet") && a.path("scope").asText().equals("global")) {
                    return Optional.of(a.path("address").asText());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public List<StandbyInfo> list() {
        JsonNode meta = get("/1.0/instances?recursion=1", QUICK, null, false);
        List<StandbyInfo> out = new ArrayList<>();
        for (JsonNode i : meta) {
            String address = i.path("config").path(ADDRESS_KEY).asText("");
            out.add(new StandbyInfo(i.path("name").asText(), map(i.path("status").asText()),
                    address.isEmpty() ? Optional.empty() : Optional.of(address)));
        }
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    private StandbyState present(String target, Deadline d) {
        JsonNode meta = get("/1.0/instances/" + target, d.remaining(), target, true);
        if (meta == null) throw new StandbyException(Code.NOT_FOUND, "lxd: no instance '" + target + "' at " + http.describe());
        return map(meta.path("status").asText());
    }

    /** PUTs the state action and waits for its operation to succeed. */
    private void change(String target, String action, boolean force, Deadline d) {
        long secs = seconds(d.remaining());
        String body = "{\"action\":\"" + action + "\",\"timeout\":" + secs + ",\"force\":" + force + "}";
        JsonNode answer = send("PUT", withProject("/1.0/instances/" + target + "/state"), body, d.remaining(), target);
        String op = answer.path("operation").asText("");
        if (op.isEmpty()) return; // a sync answer: done
        if (!op.matches("/1\\.0/operations/[A-Za-z0-9-]+")) {
            throw new StandbyException(Code.FAILED, "lxd: unexpected operation URL in answer to " + action + ": " + op);
        }
        Duration left = d.remaining();
        JsonNode result = send("GET", withProject(op + "/wait?timeout=" + seconds(left)), null, left, target).path("metadata");
        String status = result.path("status").asText();
        if (status.equals("Success")) return;
        if (status.equals("Running") || status.equals("Pending")) {
            throw new StandbyException(Code.TIMEOUT, "lxd: " + action + " of '" + target + "' still " + status
                    + " after " + d.total.toMillis() + " ms");
        }
        String err = result.path("err").asText("");
        throw new StandbyException(Code.FAILED, "lxd: " + action + " of '" + target + "' ended " + status
                + (err.isEmpty() ? "" : ": " + err));
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** GETs {@code path} and returns its metadata; null for a 404 when {@code absentOk}. */
    private JsonNode get(String path, Duration timeout, String target, boolean absentOk) {
        try {
            return send("GET", withProject(path), null, timeout, target).path("metadata");
        } catch (StandbyException e) {
            if (absentOk && e.code() == Code.NOT_FOUND) return null;
            throw e;
        }
    }

    private String withProject(String path) {
        if (project == null) return path;
        return path + (path.contains("?") ? "&" : "?") + "project=" + project;
    }

    private JsonNode send(String method, String path, String body, Duration timeout, String target) {
        String what = method + " " + path;
        LxdTransport.Response r;
        try {
            r = http.exchange(method, path, body, timeout);
        } catch (HttpTimeoutException e) {
            throw new StandbyException(Code.TIMEOUT, "lxd: no answer to " + what + " from " + http.describe()
                    + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new StandbyException(Code.UNREACHABLE, "lxd: cannot reach " + http.describe() + ": " + e.getMessage(), e);
        }
        JsonNode node;
        try {
            node = json.readTree(r.body());
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new StandbyException(Code.FAILED, "lxd: " + what + " answered HTTP " + r.status() + " without a JSON object");
        }
        if (node.path("type").asText().equals("error") || r.status() >= 400) {
            int code = node.path("error_code").asInt(r.status());
            String error = node.path("error").asText("HTTP " + r.status());
            Code c = code == 404 ? Code.NOT_FOUND : code == 401 || code == 403 ? Code.REFUSED : Code.FAILED;
            String subject = target == null ? what : "'" + target + "'";
            throw new StandbyException(c, "lxd: " + subject + ": " + error + " (" + code + ")");
        }
        return node;
    }

    /** The time left of one operation; TIMEOUT once it is used up. */
    private static final class Deadline {
        private final long end;
        private final Duration total;

        Deadline(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.total = timeout;
            this.end = System.nanoTime() + timeout.toNanos();
        }

        Duration remaining() {
            long left = end - System.nanoTime();
            if (left <= 0) throw new StandbyException(Code.TIMEOUT, "lxd: operation did not finish within " + total.toMillis() + " ms");
            return Duration.ofNanos(left);
        }
    }
}
