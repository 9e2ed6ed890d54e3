package org.vcrecovery.vcr.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that locate vcr's files, shared by the commands that need them (a picocli mixin):
 * {@code --config FILE}, {@code --runbooks DIR}, {@code --state-dir DIR}. Each falls back to its
 * environment variable, then the config file, then the default (see {@link ConfigLoader}).
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: $VCR_CONFIG, else /etc/vcrecovery/vcr.yaml if present).")
    Path config;

    @Option(names = "--runbooks", paramLabel = "DIR",
            description = "Runbook directory (default: $VCR_RUNBOOKS, else the config's runbooks, else /etc/vcrecovery/runbooks).")
    Path runbooks;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Locks, dedup records and audit.jsonl (default: $VCR_STATE_DIR, else the config's state-dir, else /var/lib/vcrecovery).")
    Path stateDir;

    /** The options as given (each may be null: not given). */
    public static ConfigOptions of(Path config, Path runbooks, Path stateDir) {
        ConfigOptions o = new ConfigOptions();
        o.config = config;
        o.runbooks = runbooks;
        o.stateDir = stateDir;
        return o;
    }

    public Path config() {
        return config;
    }

    public Path runbooks() {
        return runbooks;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The effective configuration. */
    public VcrConfig load() {
        return load(System.getenv());
    }

    /** The effective configuration, with the environment variables read from {@code env}. */
    public VcrConfig load(java.util.Map<String, String> env) {
        return ConfigLoader.load(config, runbooks, stateDir, env);
    }
}
