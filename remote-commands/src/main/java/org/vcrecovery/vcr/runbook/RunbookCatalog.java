package org.vcrecovery.vcr.runbook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;

/**
 * The runbooks of a directory: by name ({@code web} is {@code DIR/web.yaml} or {@code .yml}), by
 * file, or by what a Zabbix action knows (the primary's libvirt domain or Zabbix host name).
 *
 * <p>Finding by domain or host reads each file as text first and fully parses only those that
 * mention the value, so a directory of many runbooks costs one YAML parse. Problems are
 * {@link VcrException}s with {@link ExitCode#USAGE}.
 */
public final class RunbookCatalog {
    private final Path dir;

    public RunbookCatalog(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The file for {@code nameOrFile}: a path when it contains '/' or ends in .yaml/.yml, else a name in the directory. */
    public Path resolve(String nameOrFile) {
        if (nameOrFile.contains("/") || nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml")) {
            Path p = Path.of(nameOrFile);
            if (!Files.isRegularFile(p)) throw new VcrException(ExitCode.USAGE, "runbook file " + p + " does not exist");
            return p;
        }
        for (String ext : new String[] {".yaml", ".yml"}) {
            Path p = dir.resolve(nameOrFile + ext);
            if (Files.isRegularFile(p)) return p;
        }
        throw new VcrException(ExitCode.USAGE, "no runbook '" + nameOrFile + "' in " + dir + known());
    }

    /** Every runbook file of the directory, sorted by name. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            for (Path p : ds) if (Files.isRegularFile(p)) out.add(p);
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot list runbook directory " + dir + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    /**
     * The runbook whose {@code key} (a top-level or primary field such as {@code domain} or
     * {@code zabbix-host}) is {@code value}; null when none. Two matches are a USAGE error naming both.
     */
    public Path findBy(String key, String value) {
        Pattern mention = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*:\\s*[\"']?" + Pattern.quote(value) + "[\"']?\\s*(#.*)?$");
        List<Path> matches = new ArrayList<>();
        for (Path p : files()) {
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue;
            }
            if (!mention.matcher(text).find()) continue;
            try {
                Runbook rb = RunbookReader.read(p);
                boolean hit = key.equals("domain") ? value.equals(rb.primary().domain()) : value.equals(rb.zabbixHost());
                if (hit) matches.add(p);
            } catch (IOException | InvalidRunbookException e) {
                throw new VcrException(ExitCode.USAGE, "runbook " + p + " mentions " + key + " " + value
                        + " but cannot be used:\n" + e.getMessage());
            }
        }
        if (matches.size() > 1) {
            throw new VcrException(ExitCode.USAGE, "several runbooks have " + key + " " + value + ": " + matches
                    + "; give --runbook");
        }
        return matches.isEmpty() ? null : matches.get(0);
    }

    /**
     * The values of the top-level {@code key} (such as {@code zabbix-host}) in the runbook files,
     * read without parsing them: a cheap look, for asking Zabbix about them before any runbook is
     * needed. A file it cannot read or a value it misses is for the runbook's own reading to report.
     */
    public Set<String> mentions(String key) {
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*:\\s*[\"']?([A-Za-z0-9._ -]+?)[\"']?\\s*(#.*)?$");
        Set<String> out = new TreeSet<>();
        for (Path p : files()) {
            try {
                Matcher m = line.matcher(Files.readString(p, StandardCharsets.UTF_8));
                if (m.find()) out.add(m.group(1).strip());
            } catch (IOException | RuntimeException e) {
                // unreadable here: its run says what is wrong with it
            }
        }
        return out;
    }

    private String known() {
        List<String> names = new ArrayList<>();
        for (Path p : files()) names.add(p.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        return names.isEmpty() ? " (it has no runbooks)" : " (known: " + String.join(", ", names) + ")";
    }
}
