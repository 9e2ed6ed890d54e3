package org.vcrecovery.vcr.standby.lxd;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.SecretFile;
import org.vcrecovery.vcr.standby.StandbyBackend;
import org.vcrecovery.vcr.standby.StandbyBackendFactory;
import org.vcrecovery.vcr.standby.StandbyBackends;
import org.vcrecovery.vcr.standby.StandbyException.Code;
import org.vcrecovery.vcr.standby.StandbyException;

/**
 * The {@code lxd} backend: LXD instances through LXD's REST API.
 *
 * <p>Config:
 * <ul>
 *   <li>{@code url}: {@code unix:/path/to/unix.socket} (default: {@value #SNAP_SOCKET} when it
 *       exists, else {@value #DEB_SOCKET}), or {@code https://host:8443}. {@code http://} is
 *       accepted for tests and local proxies only (LXD itself never serves plain HTTP).</li>
 *   <li>{@code client-cert}, {@code client-key}: PEM files of the trusted client certificate
 *       and its PKCS#8 key; required for https. The key file must not be readable by group or
 *       others. {@code client-key} is a secret key (its value is never printed).</li>
 *   <li>{@code server-cert}: PEM of LXD's (self-signed) server certificate to trust; default:
 *       the JDK's trust store.</li>
 *   <li>{@code project}: the LXD project (default: the daemon's default).</li>
 * </ul>
 */
public final class LxdBackendFactory implements StandbyBackendFactory {
    public static final String NAME = "lxd";
    public static final String URL = "url";
    public static final String CLIENT_CERT = "client-cert";
    public static final String CLIENT_KEY = "client-key";
    public static final String SERVER_CERT = "server-cert";
    public static final String PROJECT = "project";
    public static final String SNAP_SOCKET = "/var/snap/lxd/common/lxd/unix.socket";
    public static final String DEB_SOCKET = "/var/lib/lxd/unix.socket";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(URL, CLIENT_CERT, CLIENT_KEY, SERVER_CERT, PROJECT);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(CLIENT_KEY);
    }

    @Override
    public StandbyBackend create(Map<String, String> config) {
        StandbyBackends.requireKnownKeys(this, config);
        String project = config.get(PROJECT);
        if (project != null) StandbyBackends.requireValidTarget("lxd: option project", project);
        String url = config.getOrDefault(URL, Files.exists(Path.of(SNAP_SOCKET)) ? "unix:" + SNAP_SOCKET : "unix:" + DEB_SOCKET);
        return new LxdBackend(transport(url, config), project);
    }

    private static LxdTransport transport(String url, Map<String, String> config) {
        if (url.startsWith("unix:")) {
            String path = url.substring("unix:".length()).replaceFirst("^//", "");
            if (!path.startsWith("/")) throw invalid("url unix:PATH needs an absolute path, got '" + url + "'");
            return new UnixSocketTransport(Path.of(path));
        }
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw invalid("url is not a URL: '" + url.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        if ("http".equals(uri.getScheme()) && uri.getHost() != null) return new HttpsTransport(uri, null);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw invalid("url must be unix:/path, https://host:port or http://host:port, got '" + uri.getScheme() + "://...'");
        }
        String cert = config.get(CLIENT_CERT);
        String key = config.get(CLIENT_KEY);
        if (cert == null || key == null) throw invalid("https needs both client-cert and client-key");
        Path keyPath = Path.of(key);
        requireOwnerOnly(keyPath);
        String server = config.get(SERVER_CERT);
        return new HttpsTransport(uri, PemTls.context(Path.of(cert), keyPath, server == null ? null : Path.of(server)));
    }

    /** The same rule as every secret file of vcr (mode 0600/0400, owned by the user running vcr). */
    private static void requireOwnerOnly(Path key) {
        try {
            SecretFile.requirePrivate(key, "client-key");
        } catch (VcrException e) {
            throw invalid(e.getMessage());
        }
    }

    private static StandbyException invalid(String message) {
        return new StandbyException(Code.INVALID, "lxd: option " + message);
    }

    @Override
    public Set<Guest> guests() {
        return Set.of(Guest.CONTAINER);
    }

    @Override
    public Set<StandbyBackend.Capability> capabilities() {
        return Set.of(StandbyBackend.Capability.SUSPEND, StandbyBackend.Capability.REBOOT);
    }
}
