package org.vcrecovery.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the drill installs before its first failover: the wrapper the Zabbix action runs and its
 * {@code vcr.yaml}, and {@code vcr zabbix install} pointing the actions and scripts at that
 * wrapper on the sandbox agent (again whenever another install pointed them elsewhere).
 */
final class Installation {
    private final Env env;
    private final Path repo;
    private final Path vcr;
    private final Path templates;
    private final Path dir;
    private final Path state;
    private final boolean serve;
    private final Progress progress;

    Installation(Env env, Path repo, Launchers launchers, Path dir, boolean serve, Progress progress) {
        this.env = env;
        this.repo = repo;
        this.vcr = launchers.vcr();
        this.templates = launchers.templates();
        this.dir = dir;
        this.state = dir.resolve("state");
        this.serve = serve;
        this.progress = progress;
    }

    /**
     * The wrapper the Zabbix action runs (stamps the time, points vcr at the drill's config and at
     * the drill's vcr serve, or keeps vcr off any server with --no-serve) and that config.
     */
    Path writeVcrSetup() throws IOException {
        Files.createDirectories(state);
        Path wrapper = dir.resolve("bin/vcr");
        String serving = serve
                ? "# bin/vcr hands the recover line to the drill's vcr serve (a fresh JVM when it does not answer).\n"
                    + "unset VCR_SERVE\nexport VCR_SERVE_FILE=" + ServeProcess.addressFile(dir) + "\n"
                : "# --no-serve: a fresh JVM per action, whatever server runs on this machine.\nexport VCR_SERVE=off\n";
        Drill.write(wrapper, """
                #!/bin/sh
                # Written by tests/drill: what the Zabbix action runs on the sandbox agent. Notes when the
                # agent started it (the drill's "action ran vcr" mark), then runs vcr with the drill's config;
                # vcr's stderr (one line when it fails) is kept, since the agent does not wait for it.
                printf '%%s %%s\\n' "$(date +%%s.%%N)" "$*" >>%s
                %sexport VCR_CONFIG=%s
                exec %s "$@" 2>>%s
                """.formatted(dir.resolve("commands.log"), serving, dir.resolve("vcr.yaml"), vcr, dir.resolve("vcr-stderr.log")),
                "rwxr-xr-x");
        Drill.write(dir.resolve("vcr.yaml"), """
                # Written by tests/drill: vcr's settings for the drill (see remote-commands/src/main/dist/conf/vcr.yaml).
                zabbix:
                  url: %s
                  token-file: %s
                  timeout: 5s
                  version: "%s"
                runbooks: %s
                state-dir: %s
                dedup-window: 0s
                """.formatted(env.get("ZABBIX_API_URL"), env.get("ZABBIX_TOKEN_FILE"), env.get("ZABBIX_VERSION"), dir.resolve("runbooks"), state),
                "rw-r--r--");
        return wrapper;
    }



    void install(Path wrapper) {
        progress.say("vcr zabbix install: templates, scripts and actions run on " + env.get("ZABBIX_AGENT_HOST") + "'s agent");
        Sh.Result r = Sh.run(repo, 120, List.of(vcr.toString(), "zabbix", "install", "--url", env.get("ZABBIX_API_URL"),
                "--token-file", env.get("ZABBIX_TOKEN_FILE"), "--standby-host", env.get("ZABBIX_AGENT_HOST"),
                "--vcr-path", wrapper.toString(), "--templates", templates.toString()));
        if (!r.ok()) throw new DrillException(r.code() == 3 ? 3 : 1, "vcr zabbix install failed (exit " + r.code() + "): " + Sh.oneLine(r.out()));
        for (String line : r.out().split("\n")) if (!line.contains("up to date") && !line.startsWith("note:")) progress.say("  " + line);
    }



    /**
     * The actions and scripts are global in Zabbix: another {@code vcr zabbix install} (a test, an
     * operator) may have pointed them elsewhere since ours. Installs again when the VM-down
     * action's script does not run our wrapper on the agent.
     */
    void ensureOurAction(ZabbixSide zabbix, Path wrapper) {
        JsonNode s = zabbix.call("script.get", Map.of("output", List.of("command", "execute_on"),
                "filter", Map.of("name", List.of("vcrecovery: recover VM (action)"))));
        boolean ours = s.size() == 1 && s.path(0).path("command").asText().equals(wrapper + " recover --pending")
                && s.path(0).path("execute_on").asText().equals("0");
        if (ours) return;
        progress.say("the VM-down action no longer runs the drill's vcr (another install changed it): installing again");
        install(wrapper);
        Sh.run(30, env.get("ZABBIX_SERVER_BIN"), "-c", env.get("ZABBIX_SERVER_CONF"), "-R", "config_cache_reload");
        ListenerProcess.sleep(2000);
    }


}
