package org.vcrecovery.vcr.zabbix;

import java.util.ArrayList;
import java.util.List;
import org.vcrecovery.vcr.Names;

/**
 * The agent snippet with one exact {@code AllowKey} line per standby choice: what
 * {@code vcr zabbix agent-rules} prints. The Zabbix 7.0 menu script "recover pending now on a
 * chosen standby" makes the server send {@code system.run[VCR recover --pending --standby NAME]};
 * the agent runs it through {@code sh -c}, so no wildcard may allow it: each name gets its own
 * literal line, in both forms a waited-for script can arrive in ({@code [CMD]} and {@code [CMD,wait]}).
 *
 * <p>The lines go into the snippet itself, between two marker comments placed right above its
 * {@code DenyKey=system.run[*]} (a previous block is replaced, so a rerun gives the same file), and
 * not into a second file: Zabbix agent 2 orders the rules of included files by their line number
 * inside each file, not by file, so a second file's allow line can fall after the snippet's deny
 * line or before it depending on line counts. The vcr path is the one of the snippet's own
 * {@code vcr recover --pending} line. A snippet without exactly one {@code DenyKey=system.run[*]}
 * and that line, with a wildcard in an allow rule, or with a broken block is refused
 * (IllegalArgumentException naming the line), as is a name that is not a plain name.
 */
final class AgentRules {
    static final String BEGIN = "# BEGIN vcr zabbix agent-rules:";
    static final String END = "# END vcr zabbix agent-rules";
    static final String DENY = "DenyKey=system.run[*]";

    private AgentRules() {}

    /** {@code snippet}'s lines with the block for {@code standbys} (from {@code source}, for the comment) above its deny rule. */
    static List<String> apply(List<String> snippet, List<String> standbys, String source) {
        List<String> kept = new ArrayList<>();
        boolean inBlock = false;
        int begins = 0;
        for (int i = 0; i < snippet.size(); i++) {
            String line = snippet.get(i);
            if (line.startsWith(BEGIN)) {
                if (inBlock || ++begins > 1) throw new IllegalArgumentException("line " + (i + 1) + ": a second \"" + BEGIN + "\" block");
                inBlock = true;
                continue;
            }
            if (line.equals(END)) {
                if (!inBlock) throw new IllegalArgumentException("line " + (i + 1) + ": \"" + END + "\" without its BEGIN line");
                inBlock = false;
                continue;
            }
            if (inBlock) {
                if (!line.startsWith("AllowKey=system.run[") && !line.startsWith("#")) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": only generated AllowKey lines belong inside the block");
                }
                continue;
            }
            if (line.startsWith("AllowKey=") && line.contains("*")) {
                throw new IllegalArgumentException("line " + (i + 1) + ": an allow rule with a wildcard (" + line + ") lets shell syntax through");
            }
            kept.add(line);
        }
        if (inBlock) throw new IllegalArgumentException("\"" + BEGIN + "\" block without its END line");
        int deny = -1;
        String vcr = null;
        for (int i = 0; i < kept.size(); i++) {
            String line = kept.get(i).strip();
            if (line.equals(DENY)) {
                if (deny >= 0) throw new IllegalArgumentException("two " + DENY + " lines");
                deny = i;
            }
            if (line.startsWith("AllowKey=system.run[") && line.endsWith(" recover --pending]")) {
                vcr = line.substring("AllowKey=system.run[".length(), line.length() - " recover --pending]".length());
            }
        }
        if (deny < 0) throw new IllegalArgumentException("no " + DENY + " line: not a vcrecovery agent snippet");
        if (vcr == null || !ScriptSpecs.isSafePath(vcr)) {
            throw new IllegalArgumentException("no \"AllowKey=system.run[/PATH/vcr recover --pending]\" line: not a vcrecovery agent snippet");
        }
        List<String> block = new ArrayList<>();
        block.add(BEGIN + " one exact line per standby of the runbooks in " + source + ", for the 7.0 host menu's");
        block.add("# \"recover pending now on a chosen standby\". Generated: rerun the command after changing the runbooks.");
        for (String s : standbys) {
            if (!Names.isName(s)) throw new IllegalArgumentException("'" + s + "' is not a plain standby name");
            String command = ScriptSpecs.recoverOnCommand(vcr, s);
            block.add("AllowKey=system.run[" + command + "]");
            block.add("AllowKey=system.run[" + command + ",wait]");
        }
        block.add(END);
        List<String> out = new ArrayList<>(kept.subList(0, deny));
        out.addAll(block);
        out.addAll(kept.subList(deny, kept.size()));
        return out;
    }
}
