package org.vcrecovery.it;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The local test environment that {@code tests/env/up} brought up, as the tests see it.
 *
 * <p>Reads the env file the script wrote ({@code $VCR_SANDBOX_DIR/sandbox.env}, default
 * {@code /var/tmp/vcr-sandbox/sandbox.env}): one {@code KEY=value} per line, sourceable by bash.
 * A missing file or key fails the test with a message saying how to bring the sandbox up: an
 * end-to-end test never skips silently.
 */
public final class Sandbox {
    private static volatile Sandbox instance;

    private final Path file;
    private final Properties props;

    private Sandbox(Path file, Properties props) {
        this.file = file;
        this.props = props;
    }

    /** The sandbox of this machine; throws if {@code tests/env/up} has not run. */
    public static Sandbox get() {
        Sandbox s = instance;
        if (s == null) {
            synchronized (Sandbox.class) {
                if (instance == null) instance = load();
                s = instance;
            }
        }
        return s;
    }

    private static Sandbox load() {
        String dir = System.getenv().getOrDefault("VCR_SANDBOX_DIR", "/var/tmp/vcr-sandbox");
        Path file = Path.of(dir, "sandbox.env");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no sandbox at " + file + ": run tests/env/up first (or tests/run)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Sandbox(file, p);
    }

    /** The raw value of {@code key}; throws naming the key and the file when it is absent. */
    public String value(String key) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(key + " missing from " + file + ": re-run tests/env/up");
        }
        return v.trim();
    }

    /** A {@code host:port} value as an unresolved-free socket address. */
    public InetSocketAddress address(String key) {
        String v = value(key);
        int colon = v.lastIndexOf(':');
        if (colon < 0) throw new IllegalStateException(key + "=" + v + " is not host:port in " + file);
        return new InetSocketAddress(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
    }

    /** A path value. */
    public Path path(String key) {
        return Path.of(value(key));
    }

    /** The directory holding the env file and the sandbox's state. */
    public Path dir() {
        return file.getParent();
    }

    // The keys tests/env/up writes (the contract between the script and the tests).
    public static final String ZABBIX_API_URL = "ZABBIX_API_URL";
    public static final String ZABBIX_FRONTEND_URL = "ZABBIX_FRONTEND_URL";
    public static final String ZABBIX_USER = "ZABBIX_USER";
    public static final String ZABBIX_PASSWORD_FILE = "ZABBIX_PASSWORD_FILE";
    public static final String ZABBIX_TOKEN_FILE = "ZABBIX_TOKEN_FILE";
    public static final String ZABBIX_TRAPPER = "ZABBIX_TRAPPER";
    public static final String ZABBIX_AGENT = "ZABBIX_AGENT";
    public static final String ZABBIX_AGENT_HOST = "ZABBIX_AGENT_HOST";
    public static final String DNS_SERVER = "DNS_SERVER";
    public static final String DNS_ZONE = "DNS_ZONE";
    public static final String DNS_TSIG_FILE = "DNS_TSIG_FILE";
    public static final String DNS_TSIG_NAME = "DNS_TSIG_NAME";
    public static final String LIBVIRT_URI = "LIBVIRT_URI";
    public static final String LXC_PATH = "LXC_PATH";
    public static final String SNMPTRAP = "SNMPTRAP";
    public static final String HTTP_DAEMON = "HTTP_DAEMON";
    public static final String SSH_DAEMON = "SSH_DAEMON";
    public static final String FTP_DAEMON = "FTP_DAEMON";
    public static final String SMTP_DAEMON = "SMTP_DAEMON";
    /** A key file with the zone's key name but another secret: updates signed with it are refused. */
    public static final String DNS_TSIG_WRONG_FILE = "DNS_TSIG_WRONG_FILE";
    /** The TSIG algorithm of both key files ({@code hmac-sha256}). */
    public static final String DNS_TSIG_ALGORITHM = "DNS_TSIG_ALGORITHM";
    /** The host group the agent's host is in ({@code vcrecovery-sandbox}). */
    public static final String ZABBIX_HOSTGROUP = "ZABBIX_HOSTGROUP";
    /** {@code tests/env/lxc-service}: creates a busybox container serving one port on a 127.x address. */
    public static final String LXC_SERVICE = "LXC_SERVICE";
    /** The sandbox's PostgreSQL port (role {@code zabbix}, trust on loopback; database {@link #PG_DATABASE}). */
    public static final String PG_PORT = "PG_PORT";
    /** The running Zabbix version's database ({@code zabbix70}, {@code zabbix60}). */
    public static final String PG_DATABASE = "PG_DATABASE";
    /** The Zabbix release the sandbox runs: {@code 7.0} (default) or {@code 6.0} ({@code tests/env/up --zabbix}). */
    public static final String ZABBIX_VERSION = "ZABBIX_VERSION";
    /** Its exact version as the API reports it, e.g. {@code 7.0.9}. */
    public static final String ZABBIX_API_VERSION = "ZABBIX_API_VERSION";
    /** That version's {@code zabbix_get} (not on the PATH: each version is unpacked in the sandbox). */
    public static final String ZABBIX_GET = "ZABBIX_GET";
    /** That version's {@code zabbix_agentd} binary (the classic agent; the sandbox runs one on {@link #ZABBIX_AGENT}). */
    public static final String ZABBIX_AGENTD_BIN = "ZABBIX_AGENTD_BIN";
    /** That version's {@code zabbix_agent2} binary (not started by the sandbox). */
    public static final String ZABBIX_AGENT2_BIN = "ZABBIX_AGENT2_BIN";
    /** That version's {@code zabbix_server} binary, e.g. for {@code -R config_cache_reload}. */
    public static final String ZABBIX_SERVER_BIN = "ZABBIX_SERVER_BIN";
}
