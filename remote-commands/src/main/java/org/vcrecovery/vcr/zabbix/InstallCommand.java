package org.vcrecovery.vcr.zabbix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.vcrecovery.vcr.config.SecretFile;
import org.vcrecovery.vcr.runbook.RunbookCatalog;
import org.vcrecovery.vcr.runbook.StandbyNames;
import org.vcrecovery.zabbix.api.ZabbixApi;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vcr zabbix install}: imports the templates, creates or updates the global scripts and
 * the trigger actions, and prints one line per object ({@code template vcrecovery KVM host:
 * created}), then notes the operator must act on. A second run prints "up to date" for every
 * object and changes nothing. Exit codes: OK, USAGE (bad option or template files), AUTH,
 * UNREACHABLE, REFUSED (the server rejected an import or an object), FAILED.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Import the vcrecovery templates, set {$VCR.LISTENER.ADDRESSES}, and create or update the host-menu scripts",
            "and the recovery actions in Zabbix 6.0 or later. Idempotent; --dry-run lists what would change."})
public final class InstallCommand implements Callable<Integer> {
    static final String DEFAULT_VCR = "/opt/vcrecovery/bin/vcr";

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "Zabbix frontend or API URL, e.g. https://zabbix.example/zabbix or .../api_jsonrpc.php.")
    String url;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Credentials credentials;

    static final class Credentials {
        @Option(names = "--token-file", paramLabel = "FILE", description = "File (mode 0600) holding an API token.")
        Path tokenFile;

        @ArgGroup(exclusive = false)
        Login login;
    }

    static final class Login {
        @Option(names = "--user", required = true, paramLabel = "USER", description = "Zabbix user (Super admin).")
        String user;

        @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "File (mode 0600) holding the password.")
        Path passwordFile;
    }

    @Option(names = "--templates", paramLabel = "DIR",
            description = "Directory of template *.yaml files (default: zabbix-templates/ of this installation).")
    Path templates;

    @Option(names = "--vcr-path", paramLabel = "PATH", defaultValue = DEFAULT_VCR,
            description = "Where vcr is installed on the Zabbix server and the standby host (default: ${DEFAULT-VALUE}).")
    String vcrPath;

    @Option(names = "--standby-host", paramLabel = "HOST",
            description = "Technical name of the standby VM's Zabbix host: recovery actions run vcr on its agent. "
                    + "Without it they run on the Zabbix server (or the problem host's proxy).")
    String standbyHost;

    @Option(names = "--listener-addresses", paramLabel = "LIST",
            description = "Where the trap listeners send from: addresses, CIDR ranges or DNS names, comma-separated. The KVM host"
                    + " template's trapper items accept values from these only (global macro {$VCR.LISTENER.ADDRESSES}). Default: keep"
                    + " the value Zabbix has; on a first install " + ListenerAddresses.DEFAULT + ".")
    String listenerAddresses;

    @Option(names = "--runbooks", paramLabel = "DIR",
            description = "Runbook directory whose standby names the host menu offers as a choice on Zabbix 7.0 and later (script"
                    + " \"vcrecovery: recover pending now on a chosen standby\"; each recovery VM's agent then needs"
                    + " `vcr zabbix agent-rules`). Default: no choice script; 6.0 has no manual input and offers none.")
    Path runbooks;

    @Option(names = "--dry-run", description = "Compare and list what would be created or updated; change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON object instead of lines.")
    boolean json;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "Timeout of each API request, 1-600000 (default: ${DEFAULT-VALUE}).")
    int timeoutMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (timeoutMs < 1 || timeoutMs > 600_000) throw new VcrException(ExitCode.USAGE, "--timeout-ms must be 1-600000");
        Run.install(this);
        return ExitCode.OK.code();
    }

    /**
     * The work, apart from the command class: picocli reflects over every command's methods
     * when vcr starts, and signatures here would load the API client on every vcr run.
     */
    private static final class Run {
        private Run() {
        }

        static void install(InstallCommand c) {
            TemplateBundle bundle = TemplateBundle.load(c.templates != null ? c.templates : defaultTemplates());
            List<String> choices = c.runbooks == null ? List.of() : StandbyNames.of(new RunbookCatalog(c.runbooks));
            if (c.runbooks != null && choices.isEmpty()) {
                throw new VcrException(ExitCode.USAGE, "--runbooks " + c.runbooks + " holds no runbook (*.yaml): no standby to offer;"
                        + " nothing was changed");
            }
            Installer.Options options = new Installer.Options(bundle, c.vcrPath, c.standbyHost, c.dryRun, c.listenerAddresses, choices);
            Installer.Result result;
            try (ZabbixApi api = api(c.url, c.credentials, c.timeoutMs)) {
                result = new Installer(api, options).run();
            }
            print(result, c.json, c.dryRun, c.spec.commandLine().getOut());
        }

        private static ZabbixApi api(String url, Credentials credentials, int timeoutMs) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new VcrException(ExitCode.USAGE, "--url " + url + " is not a URL: " + e.getReason());
            }
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new VcrException(ExitCode.USAGE, "--url " + url + " must be an http:// or https:// URL");
            }
            // A frontend URL without the trailing slash (https://host/zabbix) means its directory.
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (!path.endsWith("/") && !path.endsWith(".php")) uri = URI.create(url + "/");
            ZabbixApi.Builder b = ZabbixApi.builder(uri).requestTimeout(Duration.ofMillis(timeoutMs));
            if (credentials.tokenFile != null) {
                b.token(SecretFile.readFirstLine(credentials.tokenFile, "--token-file"));
            } else {
                b.login(credentials.login.user, SecretFile.readFirstLine(credentials.login.passwordFile, "--password-file"));
            }
            return b.build();
        }

        private static void print(Installer.Result result, boolean json, boolean dryRun, PrintWriter out) {
            if (json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode root = m.createObjectNode();
                root.put("zabbix_version", result.version().toString());
                root.put("dry_run", dryRun);
                ArrayNode objects = root.putArray("objects");
                for (Change c : result.changes()) {
                    ObjectNode o = objects.addObject();
                    o.put("kind", c.kind());
                    o.put("name", c.name());
                    o.put("outcome", c.outcome().name().toLowerCase(java.util.Locale.ROOT));
                    if (!c.detail().isEmpty()) o.put("detail", c.detail());
                }
                ArrayNode notes = root.putArray("notes");
                result.notes().forEach(notes::add);
                out.println(root);
            } else {
                for (Change c : result.changes()) out.println(c.line());
                for (String n : result.notes()) out.println("note: " + n);
            }
            out.flush();
        }
    }

    /**
     * zabbix-templates/ next to the installation's lib/ (or, in a source checkout, at the top of
     * the tree), else /opt/vcrecovery/zabbix-templates.
     */
    static Path defaultTemplates() {
        List<Path> candidates = new ArrayList<>();
        try {
            Path p = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (int i = 0; i < 4 && p != null; i++) {
                p = p.getParent();
                if (p != null) candidates.add(p.resolve("zabbix-templates"));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): fall through to the fixed path
        }
        candidates.add(Path.of("/opt/vcrecovery/zabbix-templates"));
        for (Path c : candidates) {
            if (hasYaml(c)) return c;
        }
        return candidates.get(candidates.size() - 1);
    }

    private static boolean hasYaml(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".yaml"));
        } catch (IOException e) {
            return false;
        }
    }
}
