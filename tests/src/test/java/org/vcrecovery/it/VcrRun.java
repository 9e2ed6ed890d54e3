package org.vcrecovery.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.vcrecovery.vcr.Vcr;
import picocli.CommandLine;

/**
 * One {@code vcr} command run in-process on a fresh command model, with its exit code and
 * what it wrote on stdout and stderr (what Zabbix would record and what it would log).
 */
public record VcrRun(int exit, String out, String err) {
    public static VcrRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Vcr.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new VcrRun(exit, out.toString(), err.toString());
    }

    public List<String> lines() {
        return out.lines().toList();
    }
}
