package org.vcrecovery.vcr.zabbix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vcrecovery.vcr.ExitCode;
import org.vcrecovery.vcr.VcrException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The Zabbix template files {@code vcr zabbix install} imports: every {@code *.yaml} of a
 * directory (sorted by name), each a Zabbix export holding one or more templates.
 *
 * <p>Each template's description ends with a digest line ({@link #DIGEST_PREFIX} + 16 hex digits)
 * written by the template generator; together with the object counts it is how the installer
 * tells an up-to-date template from one to import again. A directory without templates, a file
 * that does not parse, or a template without a digest fails with {@link ExitCode#USAGE} naming
 * the file.
 */
public final class TemplateBundle {
    /** The start of the last line of every vcrecovery template's description. */
    public static final String DIGEST_PREFIX = "vcrecovery template digest: ";
    private static final Pattern DIGEST = Pattern.compile(Pattern.quote(DIGEST_PREFIX) + "([0-9a-f]{16})");
    /** Templates run to a few hundred KiB; Jackson's 3 MiB default would reject big exports. */
    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    /** One template inside a file: its name, digest and how many objects of each kind it holds. */
    public record Template(String name, String digest, Map<String, Integer> counts) {
        public Template {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(digest, "digest == null");
            counts = Map.copyOf(counts);
        }
    }

    /** One file: its path, its text as Zabbix will receive it, and the templates in it. */
    public record TemplateFile(Path path, String source, List<Template> templates) {
        public TemplateFile {
            Objects.requireNonNull(path, "path == null");
            Objects.requireNonNull(source, "source == null");
            templates = List.copyOf(templates);
        }
    }

    /** The subdirectory with the same templates in Zabbix 7.0's export format. */
    public static final String DIR_7_0 = "7.0";

    private final Path dir;
    private final List<TemplateFile> files;

    private TemplateBundle(Path dir, List<TemplateFile> files) {
        this.dir = dir;
        this.files = List.copyOf(files);
    }

    /**
     * The bundle to import into a server of {@code version}: on 7.0 and later the files of
     * {@code DIR/7.0/} when that directory exists (the same templates exported in 7.0's format, so
     * the server does not convert them on every import), else this bundle (format 6.0, which
     * every supported version imports).
     */
    public TemplateBundle forVersion(org.vcrecovery.zabbix.api.ZabbixVersion version) {
        Path v70 = dir.resolve(DIR_7_0);
        return version.atLeast(7, 0) && Files.isDirectory(v70) ? load(v70) : this;
    }

    public List<TemplateFile> files() {
        return files;
    }

    /** Reads every {@code *.yaml} in {@code dir}. */
    public static TemplateBundle load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new VcrException(ExitCode.USAGE, "template directory " + dir + " does not exist (use --templates DIR)");
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new VcrException(ExitCode.USAGE, "cannot list " + dir + ": " + e.getMessage());
        }
        if (paths.isEmpty()) throw new VcrException(ExitCode.USAGE, "no *.yaml templates in " + dir);
        ObjectMapper yaml = mapper();
        List<TemplateFile> files = new ArrayList<>();
        for (Path p : paths) {
            String text;
            JsonNode root;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
                root = yaml.readTree(text);
            } catch (IOException e) {
                throw new VcrException(ExitCode.USAGE, "template file " + p + " is not valid YAML: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
            files.add(new TemplateFile(p, text, templates(p, root)));
        }
        return new TemplateBundle(dir, files);
    }

    /** A YAML mapper whose code-point limit admits large Zabbix exports. */
    public static ObjectMapper mapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    static List<Template> templates(Path p, JsonNode root) {
        JsonNode export = root == null ? null : root.path("zabbix_export");
        if (export == null || !export.path("templates").isArray() || export.path("templates").isEmpty()) {
            throw new VcrException(ExitCode.USAGE, "template file " + p + " has no zabbix_export.templates");
        }
        List<Template> out = new ArrayList<>();
        for (JsonNode t : export.path("templates")) {
            String name = t.path("template").asText("");
            Matcher m = DIGEST.matcher(t.path("description").asText(""));
            if (name.isEmpty() || !m.find()) {
                throw new VcrException(ExitCode.USAGE, "template " + name + " in " + p
                        + " has no '" + DIGEST_PREFIX + "' line: regenerate the templates");
            }
            out.add(new Template(name, m.group(1), counts(name, t, export)));
        }
        return out;
    }

    /** Object counts in the shape {@code template.get} reports them (see {@link TemplateState}). */
    static Map<String, Integer> counts(String name, JsonNode template, JsonNode export) {
        Map<String, Integer> c = new LinkedHashMap<>();
        int triggers = 0;
        for (JsonNode item : template.path("items")) triggers += item.path("triggers").size();
        for (JsonNode trigger : export.path("triggers")) {
            if (trigger.path("expression").asText("").contains("/" + name + "/")) triggers++;
        }
        int graphs = 0;
        for (JsonNode g : export.path("graphs")) {
            JsonNode first = g.path("graph_items").path(0).path("item");
            if (name.equals(first.path("host").asText())) graphs++;
        }
        c.put("items", template.path("items").size());
        c.put("discoveries", template.path("discovery_rules").size());
        c.put("triggers", triggers);
        c.put("graphs", graphs);
        c.put("macros", template.path("macros").size());
        c.put("dashboards", template.path("dashboards").size());
        c.put("valuemaps", template.path("valuemaps").size());
        return c;
    }
}
