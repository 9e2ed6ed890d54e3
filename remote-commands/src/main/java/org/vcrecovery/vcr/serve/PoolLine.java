package org.vcrecovery.vcr.serve;

import java.util.List;
import java.util.Map;

/** Which {@code vcr pool} lines {@link ServeServer} runs itself (the rest the caller runs as a fresh process). */
final class PoolLine {
    private PoolLine() {}

    /**
     * A {@code vcr pool grow|shrink|status} line runs here when every argument is one this server
     * runs exactly as a fresh process would: the flags, the path options with absolute paths, and
     * one pool named (no '/') or given by an absolute file. Anything else (help, a relative path)
     * is the caller's to run.
     */
    static ServeServer.Verdict verdict(List<String> args, Map<String, String> env) {
        if (args.size() < 2 || !java.util.Set.of("grow", "shrink", "status").contains(args.get(1))) {
            return new ServeServer.Verdict(null, null, "not a pool grow, shrink or status line");
        }
        for (int i = 2; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--pending") || a.equals("--json")) continue;
            if (a.equals("--config") || a.equals("--runbooks") || a.equals("--state-dir")) {
                if (++i >= args.size() || !args.get(i).startsWith("/")) return new ServeServer.Verdict(null, null, "a relative path on the command line");
                continue;
            }
            if (a.startsWith("-") || a.isEmpty() || a.contains("\n")) return new ServeServer.Verdict(null, null, "not a plain pool line");
            boolean file = a.contains("/") || a.endsWith(".yaml") || a.endsWith(".yml");
            if (file && !a.startsWith("/")) return new ServeServer.Verdict(null, null, "a relative path on the command line");
        }
        for (String v : env.values()) {
            if (!v.isBlank() && !v.startsWith("/")) return new ServeServer.Verdict(null, null, "a relative path in the environment");
        }
        return new ServeServer.Verdict(null, List.copyOf(args.subList(1, args.size())), null);
    }
}
