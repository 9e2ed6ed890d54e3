package org.vcrecovery.vcr.recover;

import java.nio.file.Path;
import java.util.Map;
import org.vcrecovery.vcr.config.ConfigOptions;

/**
 * What {@code vcr recover} was asked, as given (untrusted: {@link RecoverRun} validates it):
 * built the same way by picocli ({@link RecoverCommand#request}) and by the plain-line reader
 * ({@link RecoverLine}), and run by {@link RecoverRun} in a fresh process or in {@code vcr serve}.
 * Immutable.
 *
 * @param environment where VCR_CONFIG, VCR_RUNBOOKS and VCR_STATE_DIR are read: this process's, or the caller's in vcr serve
 * @param hostDown    {@code --host-down KVMHOST}: every VM of that KVM host ({@code org.vcrecovery.vcr.hostdown}), or null
 */
public record RecoverRequest(String runbook, String eventId, String triggerHost, String vm, String standby,
                             boolean plan, boolean json, boolean failback, boolean startPrimary, boolean pending, boolean verbose,
                             Path config, Path runbooks, Path stateDir, Map<String, String> environment, String hostDown) {
    public RecoverRequest {
        environment = Map.copyOf(environment);
    }

    /** A request for one service (no {@code --host-down}). */
    public RecoverRequest(String runbook, String eventId, String triggerHost, String vm, String standby,
                          boolean plan, boolean json, boolean failback, boolean startPrimary, boolean pending, boolean verbose,
                          Path config, Path runbooks, Path stateDir, Map<String, String> environment) {
        this(runbook, eventId, triggerHost, vm, standby, plan, json, failback, startPrimary, pending, verbose, config, runbooks,
                stateDir, environment, null);
    }

    /** The same request with VCR_CONFIG, VCR_RUNBOOKS and VCR_STATE_DIR read from {@code env} (a caller's). */
    public RecoverRequest withEnvironment(Map<String, String> env) {
        return new RecoverRequest(runbook, eventId, triggerHost, vm, standby, plan, json, failback, startPrimary, pending, verbose,
                config, runbooks, stateDir, env, hostDown);
    }

    public ConfigOptions options() {
        return ConfigOptions.of(config, runbooks, stateDir);
    }

    /**
     * True when every path is absolute (or none is given), so a process with another working
     * directory ({@code vcr serve}) reads the same files. A runbook given by name is no path (a
     * file is what {@link org.vcrecovery.vcr.runbook.RunbookCatalog#resolve} takes for one).
     */
    public boolean independentOfWorkingDirectory() {
        for (Path p : new Path[] {config, runbooks, stateDir}) {
            if (p != null && !p.isAbsolute()) return false;
        }
        boolean file = runbook != null && (runbook.contains("/") || runbook.endsWith(".yaml") || runbook.endsWith(".yml"));
        return !file || runbook.startsWith("/");
    }

    /**
     * Whether it names the failed VM ({@code --vm} given and not an unresolved macro), or is
     * {@code --pending} (the problems it reads are VM-down ones as a rule): its fence will need libvirt.
     */
    public boolean namesVm() {
        return pending || !Arguments.absent(vm);
    }
}
